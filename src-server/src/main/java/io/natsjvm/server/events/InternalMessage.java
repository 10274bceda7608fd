package io.natsjvm.server.events;

/**
 * A message delivered to an internal subscription, copied out of the publisher's buffer.
 *
 * @param publisher the connection that published it when it is local (a request a service must
 *                  answer about its sender, like USER.INFO), else null
 */
public record InternalMessage(String subject, String reply, byte[] payload, Object publisher) {
    public InternalMessage(String subject, String reply, byte[] payload) {
        this(subject, reply, payload, null);
    }

    public boolean hasBody() {
        return payload.length > 0;
    }
}
