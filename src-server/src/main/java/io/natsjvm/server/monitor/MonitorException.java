package io.natsjvm.server.monitor;

/** A monitoring request the reference would refuse (bad option); the message is its error text. */
public final class MonitorException extends Exception {
    public MonitorException(String message) {
        super(message);
    }
}
