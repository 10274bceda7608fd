package io.natsjvm.server.events;

/** nats-server 2.10's IDZ reply: the server's static identity, sent bare (no envelope). */
public record ServerId(String name, String host, String id) {
}
