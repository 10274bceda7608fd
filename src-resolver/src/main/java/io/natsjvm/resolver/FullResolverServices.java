package io.natsjvm.resolver;

import com.fasterxml.jackson.databind.JsonNode;
import io.natsjvm.resolver.claims.TrustChain;
import io.natsjvm.resolver.jwt.DecodedJwt;
import io.natsjvm.resolver.jwt.JwtException;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeys;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The full resolver's requests: {@code $SYS.REQ.CLAIMS.UPDATE} (account from the JWT),
 * {@code $SYS.REQ.ACCOUNT.<id>.CLAIMS.LOOKUP} (the raw JWT; no reply if unknown),
 * {@code $SYS.REQ.CLAIMS.LIST} and {@code $SYS.REQ.CLAIMS.DELETE} (operator-signed).
 */
public final class FullResolverServices {
    private final DirResolver resolver;
    private final ClaimsUpdateHandler updates;
    /** Read per use: a config reload may change what is trusted. */
    private final Supplier<TrustChain> trust;
    private final SystemBus bus;
    private final String systemAccount;

    public FullResolverServices(DirResolver resolver, ClaimsUpdateHandler updates, Supplier<TrustChain> trust, SystemBus bus,
            String systemAccount) {
        this.resolver = resolver;
        this.updates = updates;
        this.trust = trust;
        this.bus = bus;
        this.systemAccount = systemAccount;
    }

    public void start() {
        bus.subscribe("$SYS.REQ.CLAIMS.UPDATE", this::update);
        bus.subscribe("$SYS.REQ.ACCOUNT.*.CLAIMS.LOOKUP", m -> {
            String jwt = resolver.fetch(m.subject().split("\\.")[3]);
            if (jwt != null && m.reply() != null) {
                bus.respondRaw(m.reply(), jwt.getBytes(StandardCharsets.US_ASCII));
            }
        });
        bus.subscribe("$SYS.REQ.CLAIMS.LIST", m -> {
            if (m.reply() != null) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("data", resolver.list());
                bus.respond(m.reply(), body);
            }
        });
        bus.subscribe("$SYS.REQ.CLAIMS.DELETE", this::delete);
    }

    private void update(SystemBus.Message m) {
        String subject;
        try {
            subject = Jwts.decode(new String(m.payload(), StandardCharsets.UTF_8)).subject();
        } catch (JwtException e) {
            if (m.reply() != null) {
                bus.respond(m.reply(), ClaimsUpdateHandler.failure("n/a",
                        "jwt update resulted in error - " + e.getMessage()));
            }
            return;
        }
        updates.update(subject, m);
    }

    private void delete(SystemBus.Message m) {
        String by = "";
        String error = null;
        List<String> ids = new ArrayList<>();
        try {
            DecodedJwt jwt = Jwts.decode(new String(m.payload(), StandardCharsets.UTF_8));
            by = jwt.subject() == null ? "" : jwt.subject();
            JsonNode accounts = jwt.nats().path("accounts");
            if (!resolver.allowDelete()) {
                error = "delete must be enabled in server config";
            } else if (!by.equals(jwt.issuer())) {
                error = "not self signed";
            } else if (!trust.get().trusts(jwt.issuer()) || !jwt.signedBy(jwt.issuer(), NKeys.PREFIX_OPERATOR)) {
                error = "not trusted";
            } else if (!accounts.isArray()) {
                error = "malformed request";
            } else {
                for (JsonNode a : accounts) {
                    String id = a.asText("");
                    if (!NKeys.isValidPublic(id, NKeys.PREFIX_ACCOUNT)) {
                        error = "malformed request";
                        break;
                    }
                    if (id.equals(systemAccount)) {
                        error = "not allowed to delete system account";
                        break;
                    }
                    ids.add(id);
                }
            }
        } catch (JwtException e) {
            error = e.getMessage();
        }
        if (error != null) {
            reply(m, false, "delete accounts request by " + by + " failed - " + error);
            return;
        }
        int ok = 0;
        List<String> failures = new ArrayList<>();
        for (String id : ids) {
            try {
                if (resolver.delete(id)) {
                    updates.ledger().deleted(id);
                    ok++;
                } else {
                    failures.add("account " + id + " not found");
                }
            } catch (Exception e) {
                failures.add(id + ": " + e.getMessage());
            }
        }
        if (failures.isEmpty()) {
            reply(m, true, "deleted " + ok + " accounts");
        } else {
            reply(m, false, "deleted " + ok + " accounts, failed for " + failures.size() + " - "
                    + String.join("\n", failures));
        }
    }

    private void reply(SystemBus.Message m, boolean ok, String text) {
        if (m.reply() == null) {
            return;
        }
        bus.respond(m.reply(), ClaimsUpdateHandler.reply(null, ok, text));
    }
}
