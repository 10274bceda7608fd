package io.natsjvm.server.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.natsjvm.server.protocol.ProtocolException;
import io.natsjvm.server.protocol.DiscardingHandler;
import io.natsjvm.server.protocol.ProtocolParser;
import io.natsjvm.server.protocol.InboundMessage;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * Coverage-guided fuzzing (Jazzer) of the client protocol parser, with the input split into reads at fuzzer-chosen points: it may refuse its input only with its own checked
 * exception; anything else that escapes is a finding. {@code mvn test} replays the checked-in
 * corpus (src/test/resources/io/natsjvm/server/fuzz/&lt;Class&gt;Inputs) and fuzzes for a few seconds;
 * {@code scripts/fuzz} runs longer. Fuzz classes end in "Fuzzing" so only the fuzzing run picks them up.
 */
class ProtocolFuzzing {
    /** A handler that accepts everything, so the parser's own state machine is what runs. */
    private static final class Sink extends DiscardingHandler {
        @Override
        public void onPublish(InboundMessage m) {
            m.buf.getByte(m.payloadIndex + Math.max(0, m.totalLength - 1)); // the payload is readable
        }
    }

    @FuzzTest(maxDuration = "15s")
    void protocol(FuzzedDataProvider data) {
        ProtocolParser p = new ProtocolParser(new Sink(), UnpooledByteBufAllocator.DEFAULT);
        try {
            while (data.remainingBytes() > 0) {
                // the same bytes split at fuzzer-chosen points, as reads arrive
                byte[] chunk = data.consumeBytes(1 + data.consumeInt(0, 64));
                p.feed(Unpooled.wrappedBuffer(chunk));
            }
        } catch (ProtocolException refused) {
            // a refusal is the parser's answer to bad input
        } finally {
            p.release();
        }
    }
}
