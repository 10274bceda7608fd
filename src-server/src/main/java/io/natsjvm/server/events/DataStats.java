package io.natsjvm.server.events;

/** A message and byte count pair. */
public record DataStats(long msgs, long bytes) {
}
