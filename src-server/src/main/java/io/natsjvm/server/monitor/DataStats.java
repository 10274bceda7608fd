package io.natsjvm.server.monitor;

/** A message and byte count pair. */
public record DataStats(long msgs, long bytes) {
}
