package io.natsjvm.server.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.natsjvm.server.account.RequestorInfo;
import io.natsjvm.server.client.ClientConnection;
import io.natsjvm.server.leaf.LeafConnection;
import io.natsjvm.server.log.GoFormat;
import io.natsjvm.server.protocol.ConnectOptions;
import io.natsjvm.server.protocol.Json;

import java.util.function.Supplier;

/**
 * The {@code Nats-Request-Info} values of requests crossing service imports, shaped as
 * nats-server 2.9.10's {@code ClientInfo}: {@code {"acc":..,"rtt":..}} for the requester's
 * account and round trip time (nanoseconds), the full client details when the import shares them.
 */
public final class RequestInfos implements RequestorInfo {
    private final Supplier<String> serverName;
    private final Supplier<String> clusterName;

    public RequestInfos(Supplier<String> serverName, Supplier<String> clusterName) {
        this.serverName = serverName;
        this.clusterName = clusterName;
    }

    @Override
    public String of(Object publisher, String account, boolean share) {
        ClientInfo info = info(publisher, account, share);
        return info == null ? null : json(info);
    }

    /**
     * nats-server's {@code getClientInfo(detailed)} of a client or leaf connection (null for any
     * other publisher): the account and RTT, everything else only when {@code detailed}.
     */
    public ClientInfo info(Object publisher, String account, boolean detailed) {
        if (publisher instanceof ClientConnection c) {
            if (!detailed) {
                return brief(account, c.rttNanos());
            }
            ConnectOptions co = c.connectOptions();
            var login = c.jwtLogin();
            return new ClientInfo(GoFormat.time(c.start()), c.remoteIp(), c.cid(), account, null, c.user(),
                    co == null ? null : co.name(), co == null ? null : co.lang(), co == null ? null : co.version(),
                    c.rttNanos(), serverName.get(), clusterName.get(), null, co == null ? null : co.jwt(),
                    login == null ? null : login.issuerKey(), login == null ? null : login.nameTag(), "Client",
                    c.clientType());
        }
        if (publisher instanceof LeafConnection l) {
            if (!detailed) {
                return brief(account, l.rttNanos());
            }
            return new ClientInfo(GoFormat.time(l.start()), l.remoteIp(), l.cid(), account, null, null, null,
                    null, null, l.rttNanos(), l.remoteServer(), clusterName.get(), null, null, null, null, "Leafnode",
                    null);
        }
        return null;
    }

    @Override
    public String chained(String earlier, String account) {
        try {
            ClientInfo first = Json.MAPPER.readValue(earlier, ClientInfo.class);
            return json(new ClientInfo(first.start(), first.host(), first.id(), first.acc(), account, first.user(),
                    first.name(), first.lang(), first.ver(), first.rtt(), first.server(), first.cluster(), first.stop(),
                    first.jwt(), first.issuerKey(), first.nameTag(), first.kind(), first.clientType()));
        } catch (JsonProcessingException unreadable) {
            return null; // as nats-server: an earlier value it cannot read is not passed on
        }
    }

    private static ClientInfo brief(String account, long rttNanos) {
        return new ClientInfo(null, null, 0, account, null, null, null, null, null, rttNanos, null, null, null, null,
                null, null, null, null);
    }

    private static String json(ClientInfo info) {
        try {
            return Json.MAPPER.writeValueAsString(info);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("ClientInfo is always serializable", e);
        }
    }
}
