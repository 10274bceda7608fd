package io.natsjvm.embedded;

import io.natsjvm.resolver.jwt.JwtException;
import io.natsjvm.resolver.jwt.Jwts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The sample operator bundled in this jar (from the project's operator-keys-sample): its JWTs
 * become a MEMORY-resolver config, its users' {@code .creds} are written out on request.
 */
final class SampleOperator implements Credentials {
    private static final String ROOT = "/io/natsjvm/embedded/sample/";
    private static final List<String> ACCOUNTS = List.of("APP", "OTHER", "SYS");

    private final String config;
    private final Path dir;

    private SampleOperator(String config, Path dir) {
        this.config = config;
        this.dir = dir;
    }

    static SampleOperator extract() {
        StringBuilder preload = new StringBuilder("resolver_preload: {\n");
        String system = null;
        for (String a : ACCOUNTS) {
            String jwt = read("jwt/accounts/" + a + ".jwt").trim();
            String key;
            try {
                key = Jwts.decode(jwt).subject();
            } catch (JwtException e) {
                throw new IllegalStateException("bundled sample account " + a + ": " + e.getMessage(), e);
            }
            if (a.equals("SYS")) {
                system = key;
            }
            preload.append("  ").append(key).append(": ").append(jwt).append('\n');
        }
        preload.append("}\n");
        String config = "operator: " + read("jwt/operator.jwt").trim() + "\nsystem_account: " + system
                + "\nresolver: MEMORY\n" + preload;
        return new SampleOperator(config, EmbeddedNatsServer.tempDir());
    }

    String config() {
        return config;
    }

    @Override
    public Path credentials(String account, String user) {
        Path file = dir.resolve(account + "-" + user + ".creds");
        if (!Files.exists(file)) {
            try {
                Files.writeString(file, read("creds/" + account + "/" + user + ".creds"));
                file.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }

    private static String read(String name) {
        try (InputStream in = SampleOperator.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name + " (accounts APP, OTHER, SYS; users alice,"
                        + " bob, carol, sys)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
