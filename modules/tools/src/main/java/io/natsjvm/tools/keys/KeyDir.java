package io.natsjvm.tools.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natsjvm.resolver.jwt.DecodedJwt;
import io.natsjvm.resolver.jwt.JwtException;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeyPair;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The key tool's directory, laid out for people to read:
 * <pre>
 *   keys/operator.nk, keys/operator-signing.nk, keys/accounts/NAME.nk   seeds (mode 600)
 *   jwt/operator.jwt, jwt/accounts/NAME.jwt                              signed JWTs
 *   creds/ACCOUNT/USER.creds                                             user credentials
 * </pre>
 */
final class KeyDir {
    final Path root;

    KeyDir(Path root) {
        this.root = root;
    }

    Path operatorSeed() {
        return root.resolve("keys/operator.nk");
    }

    Path operatorSigningSeed() {
        return root.resolve("keys/operator-signing.nk");
    }

    Path operatorJwt() {
        return root.resolve("jwt/operator.jwt");
    }

    Path accountSeed(String name) {
        return root.resolve("keys/accounts/" + name + ".nk");
    }

    Path accountJwt(String name) {
        return root.resolve("jwt/accounts/" + name + ".jwt");
    }

    Path creds(String account, String user) {
        return root.resolve("creds/" + account + "/" + user + ".creds");
    }

    NKeyPair seed(Path p) throws IOException {
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("missing " + root.relativize(p) + " (run 'init' / 'account add' first)");
        }
        return NKeyPair.fromSeed(Files.readString(p));
    }

    void writeSeed(Path p, NKeyPair k) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, k.encodedSeed() + "\n");
        if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        }
    }

    String read(Path p) throws IOException {
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("missing " + root.relativize(p));
        }
        return Files.readString(p).trim();
    }

    void write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text.endsWith("\n") ? text : text + "\n");
    }

    /** The claims of a stored JWT, ready to be edited and re-signed. */
    ObjectNode claims(Path jwtFile) throws IOException {
        try {
            DecodedJwt d = Jwts.decode(read(jwtFile));
            ObjectNode c = ((ObjectNode) d.claims()).deepCopy();
            c.remove("jti");
            c.remove("iat");
            return c;
        } catch (JwtException e) {
            throw new IllegalArgumentException(jwtFile + ": " + e.getMessage());
        }
    }

    List<String> accounts() throws IOException {
        Path dir = root.resolve("jwt/accounts");
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jwt"))
                        .map(n -> n.substring(0, n.length() - 4)).sorted().forEach(out::add);
            }
        }
        return out;
    }

    static String credsText(String jwt, String seed) {
        return "-----BEGIN NATS USER JWT-----\n" + jwt + "\n------END NATS USER JWT------\n\n"
                + "************************* IMPORTANT *************************\n"
                + "NKEY Seed printed below can be used to sign and prove identity.\n"
                + "NKEYs are sensitive and should be treated as secrets.\n\n"
                + "-----BEGIN USER NKEY SEED-----\n" + seed + "\n------END USER NKEY SEED------\n\n"
                + "*************************************************************\n";
    }
}
