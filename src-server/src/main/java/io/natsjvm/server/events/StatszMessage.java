package io.natsjvm.server.events;

/** {@code $SYS.SERVER.<id>.STATSZ} and replies to STATSZ requests. */
public record StatszMessage(EventServer server, ServerStats statsz) {
}
