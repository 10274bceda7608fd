package io.natsjvm.server.events;

import io.natsjvm.server.monitor.ServerStats;

/** {@code $SYS.SERVER.<id>.STATSZ} and replies to STATSZ requests. */
public record StatszMessage(EventServer server, ServerStats statsz) {
}
