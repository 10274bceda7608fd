package io.natsjvm.server.protocol;

/**
 * Takes every operation and does nothing with it: the base for drivers of the parser alone
 * (micro-benchmarks, fuzzers), which override what they look at. No CONNECT is required,
 * headers are on and control lines may be 4096 bytes.
 */
public class DiscardingHandler implements ProtocolHandler {
    @Override
    public boolean awaitingConnect() {
        return false;
    }

    @Override
    public int maxControlLine() {
        return 4096;
    }

    @Override
    public boolean headersSupported() {
        return true;
    }

    @Override
    public void onConnect(String json) {
    }

    @Override
    public void onPublishArgs(String subject, int size) {
    }

    @Override
    public void onPublish(InboundMessage msg) {
    }

    @Override
    public void onSub(String subject, String queue, String sid) {
    }

    @Override
    public void onUnsub(String sid, int max) {
    }

    @Override
    public void onPing() {
    }

    @Override
    public void onPong() {
    }

    @Override
    public void onClientError(String text) {
    }
}
