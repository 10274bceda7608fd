package io.natsjvm.server.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.natsjvm.server.config.ConfigException;
import io.natsjvm.server.config.ConfigParser;
import io.natsjvm.server.config.OptionsLoader;

import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing (Jazzer) of the config parser and options loader: it may refuse its input only with its own checked
 * exception; anything else that escapes is a finding. {@code mvn test} replays the checked-in
 * corpus (src/test/resources/io/natsjvm/server/fuzz/&lt;Class&gt;Inputs) and fuzzes for a few seconds;
 * {@code scripts/fuzz} runs longer. Fuzz classes end in "Fuzzing" so only the fuzzing run picks them up.
 */
class ConfigFuzzing {
    @FuzzTest(maxDuration = "15s")
    void config(byte[] input) {
        String text = input == null ? null : new String(input, StandardCharsets.UTF_8);
        if (text == null) {
            return; // Jazzer's null seed: the server never passes null
        }
        try {
            OptionsLoader.load(ConfigParser.parse(text, name -> null));
        } catch (ConfigException refused) {
            // a refusal with a message naming the problem
        }
    }
}
