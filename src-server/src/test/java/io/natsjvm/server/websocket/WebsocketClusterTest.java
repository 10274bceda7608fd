package io.natsjvm.server.websocket;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsjvm.server.util.Await;
import io.natsjvm.server.util.ClusterConf;
import io.natsjvm.server.util.Interest;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.Sockets;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * In a cluster, each kind of client is told where it can reconnect: websocket clients the
 * cluster's websocket listeners (route INFO's {@code ws_connect_urls}, put in their INFO's
 * {@code connect_urls}), NATS clients the NATS ports, as nats-server 2.9.10 tells them; checked in
 * a cluster with a nats-server node, both ways, and when the peer leaves.
 */
class WebsocketClusterTest {

    private static Connection overWebsocket(int port) throws Exception {
        return Nats.connect(new Options.Builder().server("ws://127.0.0.1:" + port).noReconnect().build());
    }

    private static List<String> urls(Connection c) {
        return c.getServerInfo().getConnectURLs();
    }

    @Test
    void websocketClientsLearnTheClustersWebsocketListenersAndNatsClientsItsNatsPorts() throws Exception {
        int seed = Sockets.freePort();
        int refWs = Sockets.freePort();
        try (TestServer java = TestServer.fromConfig(WebsocketTest.config(-1, "") + ClusterConf.block("", seed))) {
            String javaWs = "127.0.0.1:" + java.server().websocketPort();
            String javaNats = "127.0.0.1:" + java.port();
            try (Connection web = overWebsocket(java.server().websocketPort());
                    Connection plain = Interest.connect(java.url())) {
                try (ReferenceServer ref = ReferenceServer.start(WebsocketTest.config(refWs, "")
                        + ClusterConf.block("", -1, seed))) {
                    String refWsUrl = "127.0.0.1:" + refWs;
                    String refNats = "127.0.0.1:" + ref.port();
                    // asynchronous INFO when the peer joined: each kind hears of its own listeners
                    Await.until(Duration.ofSeconds(10), () -> List.of(javaWs, refWsUrl).equals(urls(web)),
                            () -> "websocket client's connect_urls: " + urls(web));
                    Await.until(Duration.ofSeconds(10), () -> List.of(javaNats, refNats).equals(urls(plain)),
                            () -> "NATS client's connect_urls: " + urls(plain));
                    // a client that connects now gets them in its first INFO
                    try (Connection late = overWebsocket(java.server().websocketPort())) {
                        assertEquals(List.of(javaWs, refWsUrl), urls(late));
                    }
                    assertEquals(List.of(javaWs, refWsUrl), java.server().monitor().varz().get("ws_connect_urls"));
                    assertEquals(List.of(javaNats, refNats), java.server().monitor().varz().get("connect_urls"));
                    // and nats-server's websocket clients hear of this server's websocket listener
                    try (Connection onRef = overWebsocket(refWs)) {
                        Await.until(Duration.ofSeconds(10), () -> urls(onRef).contains(javaWs),
                                () -> "nats-server's websocket client: " + urls(onRef));
                        assertFalse(urls(onRef).contains(javaNats), urls(onRef).toString());
                    }
                }
                // the peer left: only this server's own listeners remain, as the reference keeps them
                Await.until(Duration.ofSeconds(10), () -> List.of(javaWs).equals(urls(web)),
                        () -> "after the peer left: " + urls(web));
                Await.until(Duration.ofSeconds(10), () -> List.of(javaNats).equals(urls(plain)),
                        () -> "after the peer left: " + urls(plain));
            }
        }
    }
}
