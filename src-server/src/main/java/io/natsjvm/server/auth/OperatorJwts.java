package io.natsjvm.server.auth;

import io.natsjvm.resolver.claims.Claims;
import io.natsjvm.resolver.claims.OperatorClaims;
import io.natsjvm.resolver.jwt.JwtException;
import io.natsjvm.resolver.jwt.Jwts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the {@code operator} entries of the config: inline JWTs or files holding one (nsc writes decorated files). */
public final class OperatorJwts {
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    private OperatorJwts() {
    }

    /**
     * @param configDir directory of the config file, for relative paths (may be null)
     * @throws IllegalArgumentException naming the entry and what is wrong with it
     */
    public static List<OperatorClaims> load(List<String> entries, Path configDir) {
        List<OperatorClaims> out = new ArrayList<>();
        for (String entry : entries) {
            String text = entry.trim();
            if (!text.startsWith("eyJ")) {
                Path p = Path.of(text);
                if (!Files.exists(p) && configDir != null) {
                    p = configDir.resolve(text);
                }
                try {
                    text = Files.readString(p);
                } catch (IOException e) {
                    throw new IllegalArgumentException("operator: cannot read \"" + entry + "\": " + e.getMessage());
                }
            }
            Matcher m = JWT.matcher(text);
            if (!m.find()) {
                throw new IllegalArgumentException("operator: no JWT found in \"" + entry + "\"");
            }
            try {
                out.add(Claims.operator(Jwts.decode(m.group())));
            } catch (JwtException e) {
                throw new IllegalArgumentException("operator: \"" + entry + "\" is not a valid operator JWT: "
                        + e.getMessage());
            }
        }
        return out;
    }
}
