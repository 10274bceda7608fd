package io.natsjvm.server.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;

/** One subscription in SUBSZ and CONNZ detail lists. */
public record SubDetail(
        @JsonInclude(Include.NON_EMPTY) String account,
        String subject,
        @JsonInclude(Include.NON_EMPTY) String qgroup,
        String sid,
        long msgs,
        @JsonInclude(Include.NON_DEFAULT) long max,
        long cid) {
}
