package io.natsjvm.embedded;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fresh operator for one server: new keys every time (nothing shared between tests), a system
 * account SYS with user "sys", and the named accounts each with the named users; their JWTs
 * preloaded in a MEMORY resolver, their {@code .creds} written on request.
 */
final class GeneratedOperator implements Credentials {
    private final Map<String, NKeyPair> accounts = new LinkedHashMap<>();
    private final Map<String, String> accountJwts = new LinkedHashMap<>();
    private final Map<String, String> creds = new LinkedHashMap<>();
    private final String operatorJwt;
    private final Path dir = EmbeddedNatsServer.tempDir();

    GeneratedOperator(List<String> accountNames, List<String> userNames) {
        NKeyPair operator = NKeyPair.create(NKeys.PREFIX_OPERATOR);
        NKeyPair signer = NKeyPair.create(NKeys.PREFIX_OPERATOR);
        NKeyPair sys = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
        ObjectNode op = Jwts.claims(operator.publicKey(), "OP", "operator");
        op.with("nats").putArray("signing_keys").add(signer.publicKey());
        op.with("nats").put("system_account", sys.publicKey());
        operatorJwt = Jwts.sign(op, operator);
        add("SYS", sys, signer, List.of("sys"));
        for (String a : accountNames) {
            if (!a.equals("SYS")) {
                add(a, NKeyPair.create(NKeys.PREFIX_ACCOUNT), signer, userNames);
            }
        }
    }

    private void add(String name, NKeyPair account, NKeyPair signer, List<String> users) {
        accounts.put(name, account);
        accountJwts.put(name, Jwts.sign(Jwts.claims(account.publicKey(), name, "account"), signer));
        for (String u : users) {
            NKeyPair user = NKeyPair.create(NKeys.PREFIX_USER);
            String jwt = Jwts.sign(Jwts.claims(user.publicKey(), u, "user"), account);
            creds.put(name + "/" + u, "-----BEGIN NATS USER JWT-----\n" + jwt + "\n------END NATS USER JWT------\n\n"
                    + "-----BEGIN USER NKEY SEED-----\n" + user.encodedSeed() + "\n------END USER NKEY SEED------\n");
        }
    }

    String config() {
        StringBuilder b = new StringBuilder("operator: " + operatorJwt + "\nsystem_account: "
                + accounts.get("SYS").publicKey() + "\nresolver: MEMORY\nresolver_preload: {\n");
        for (Map.Entry<String, String> e : accountJwts.entrySet()) {
            b.append("  ").append(accounts.get(e.getKey()).publicKey()).append(": ").append(e.getValue()).append('\n');
        }
        return b.append("}\n").toString();
    }

    @Override
    public Path credentials(String account, String user) {
        String text = creds.get(account + "/" + user);
        if (text == null) {
            throw new IllegalArgumentException("no generated user " + account + "/" + user + " (accounts "
                    + accounts.keySet() + ")");
        }
        Path file = dir.resolve(account + "-" + user + ".creds");
        try {
            if (!Files.exists(file)) {
                Files.writeString(file, text);
                file.toFile().deleteOnExit();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The account's public key (what CONNZ and events call the account in operator mode). */
    String accountKey(String account) {
        NKeyPair k = accounts.get(account);
        return k == null ? null : k.publicKey();
    }
}
