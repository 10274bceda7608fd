package io.natsjvm.server.account;

/**
 * What a service request carries about its requester in the {@code Nats-Request-Info} header, as
 * nats-server 2.9.10 writes it: the requester's account and round trip time, or (when the import
 * shares) its full client details. Implemented where connections are known.
 */
public interface RequestorInfo {
    /**
     * @param publisher the connection that published the request (see {@code InboundMessage.publisher})
     * @param account   the account it was published in
     * @param share     whether the import shares the requester's details
     * @return the header value, or null when the publisher is not a client or leaf connection
     */
    String of(Object publisher, String account, boolean share);

    /** An earlier import's value, passed on with the account importing this time named as the service. */
    String chained(String earlier, String account);
}
