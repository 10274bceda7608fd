package io.natsjvm.server.config;

/** A configuration that cannot be used; the message names the file, line and column where known. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
