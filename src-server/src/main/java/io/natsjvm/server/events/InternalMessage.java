package io.natsjvm.server.events;

/** A message delivered to an internal subscription, copied out of the publisher's buffer. */
public record InternalMessage(String subject, String reply, byte[] payload) {
    public boolean hasBody() {
        return payload.length > 0;
    }
}
