package io.natsjvm.resolver.claims;

import io.natsjvm.resolver.jwt.JwtException;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeys;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The blocking checks the Go jwt library's {@code Validate} makes before nats-server uses a
 * claim: subjects, CIDRs, time windows and zones, key types, import/export shapes and counts. A
 * claim that fails any of them is refused as a whole, with the first reason.
 */
final class ClaimsValidation {
    private static final Set<String> RESPONSE_TYPES = Set.of("Singleton", "Stream", "Chunked");

    private ClaimsValidation() {
    }

    static void user(UserLimits l, String issuerAccount) throws JwtException {
        limits(l, "user");
        if (issuerAccount != null && !NKeys.isValidPublic(issuerAccount, NKeys.PREFIX_ACCOUNT)) {
            throw new JwtException("account_id is not an account public key");
        }
    }

    /** Permissions and limits of a user or of a scoped signing key's template. */
    static void limits(UserLimits l, String what) throws JwtException {
        permission(l.sub(), true);
        permission(l.pub(), false);
        for (String cidr : l.src()) {
            if (!GoFormats.cidr(cidr)) {
                throw new JwtException("invalid cidr \"" + cidr + "\" in " + what + " src limits");
            }
        }
        for (ConnectTimes.Window w : l.times().windows()) {
            if (w.start().isEmpty()) {
                throw new JwtException("time ranges start must contain a start");
            }
            if (GoFormats.clock(w.start()) == null) {
                throw new JwtException("start in time range is invalid \"" + w.start() + "\"");
            }
            if (w.end().isEmpty()) {
                throw new JwtException("time ranges end must contain an end");
            }
            if (GoFormats.clock(w.end()) == null) {
                throw new JwtException("end in time range is invalid \"" + w.end() + "\"");
            }
        }
        String zone = l.times().locale();
        if (zone != null && !GoFormats.zone(zone)) {
            throw new JwtException("could not parse iana time zone by name: unknown time zone " + zone);
        }
    }

    static void permission(SubjectRules rules, boolean permitQueue) throws JwtException {
        for (List<String> list : List.of(rules.allow(), rules.deny())) {
            for (String s : list) {
                String[] tokens = s.split(" ", -1);
                if (tokens.length > 2) {
                    throw new JwtException("Permission Subject \"" + s + "\" contains too many spaces");
                }
                for (String t : tokens) {
                    subject(t);
                }
                if (tokens.length == 2 && !permitQueue) {
                    throw new JwtException("Permission Subject \"" + s + "\" is not allowed to contain queue");
                }
            }
        }
    }

    static void subject(String s) throws JwtException {
        if (s == null || s.isEmpty()) {
            throw new JwtException("subject cannot be empty");
        }
        if (s.contains(" ")) {
            throw new JwtException("subject \"" + s + "\" cannot have spaces");
        }
    }

    static void account(AccountClaims a, SubjectRules defaultPub, SubjectRules defaultSub) throws JwtException {
        for (Import i : a.imports()) {
            if (i.type() == null) {
                throw new JwtException("invalid import type: \"unknown\"");
            }
            if (i.account() == null) {
                throw new JwtException("account to import from is not specified");
            }
            subject(i.subject());
            if (i.localSubject() != null) {
                if (i.localSubject().contains(" ")) {
                    throw new JwtException("subject \"" + i.localSubject() + "\" cannot have spaces");
                }
                if (i.to() != null) {
                    throw new JwtException("Local Subject replaces To");
                }
            }
            if (i.token() != null) {
                try {
                    Jwts.decode(i.token());
                } catch (JwtException e) {
                    throw new JwtException("import \"" + i.subject() + "\" contains an invalid activation token");
                }
            }
        }
        for (Export e : a.exports()) {
            if (e.type() == null) {
                throw new JwtException("invalid export type: \"unknown\"");
            }
            subject(e.subject());
            String rt = e.responseType();
            if ("service".equals(e.type()) && rt != null && !RESPONSE_TYPES.contains(rt)) {
                throw new JwtException("invalid response type for service: \"" + rt + "\"");
            }
            if ("stream".equals(e.type()) && rt != null) {
                throw new JwtException("invalid response type for stream: \"" + rt + "\"");
            }
            exportExtras(e);
        }
        AccountLimits l = a.limits();
        if (l.imports() != -1 && a.imports().size() > l.imports()) {
            throw new JwtException("the account contains more imports than allowed by the operator");
        }
        if (l.exports() != -1) {
            if (a.exports().size() > l.exports()) {
                throw new JwtException("the account contains more exports than allowed by the operator");
            }
            if (!l.wildcards() && a.exports().stream().anyMatch(e -> hasWildcard(e.subject()))) {
                throw new JwtException("the account contains wildcard exports that are not allowed by the operator");
            }
        }
        permission(defaultSub, true);
        permission(defaultPub, false);
        for (Map.Entry<String, List<WeightedMapping>> m : a.mappings().entrySet()) {
            subject(m.getKey());
            int total = 0;
            for (WeightedMapping w : m.getValue()) {
                subject(w.subject());
                if (hasWildcard(w.subject())) {
                    throw new JwtException("Subject \"" + w.subject() + "\" in weighted mapping \"" + m.getKey()
                            + "\" is not allowed to contains wildcard");
                }
                total = (total + w.weight()) & 0xff; // the library adds in a uint8
            }
            if (total > 100) {
                throw new JwtException("Mapping \"" + m.getKey() + "\" exceeds 100% among all of it's weighted to mappings");
            }
        }
        for (String k : a.signingKeys()) {
            if (!NKeys.isValidPublic(k, NKeys.PREFIX_ACCOUNT)) {
                throw new JwtException(k + " is not an account public key");
            }
        }
        for (UserScope s : a.scopes().values()) {
            limits(s.template(), "scope template");
        }
    }

    static void operator(OperatorClaims o) throws JwtException {
        for (String k : o.signingKeys()) {
            if (!NKeys.isValidPublic(k, NKeys.PREFIX_OPERATOR)) {
                throw new JwtException(k + " is not an operator public key");
            }
        }
        if (o.systemAccount() != null && !NKeys.isValidPublic(o.systemAccount(), NKeys.PREFIX_ACCOUNT)) {
            throw new JwtException(o.systemAccount() + " is not an account public key");
        }
    }

    /** The jwt library's checks of latency tracking, response thresholds and account token positions. */
    private static void exportExtras(Export e) throws JwtException {
        if (e.latency() != null) {
            if (!e.isService()) {
                throw new JwtException("latency tracking only permitted for services");
            }
            int sampling = e.latency().sampling();
            if (sampling != 0 && (sampling < 1 || sampling > 100)) {
                throw new JwtException("sampling percentage needs to be between 1-100");
            }
            subject(e.latency().results());
            if (hasWildcard(e.latency().results())) {
                throw new JwtException("results subject can not contain wildcards");
            }
        }
        if (e.responseThresholdNanos() < 0) {
            throw new JwtException("negative response threshold is invalid");
        }
        if (e.responseThresholdNanos() > 0 && !e.isService()) {
            throw new JwtException("response threshold only valid for services");
        }
        int pos = e.accountTokenPosition();
        if (pos > 0) {
            if (!hasWildcard(e.subject())) {
                throw new JwtException("Account Token Position can only be used with wildcard subjects: " + e.subject());
            }
            String[] tokens = e.subject().split("\\.", -1);
            if (pos > tokens.length) {
                throw new JwtException("Account Token Position " + pos + " exceeds length of subject '" + e.subject()
                        + "'");
            }
            if (!tokens[pos - 1].equals("*")) {
                throw new JwtException("Account Token Position " + pos + " matches '" + tokens[pos - 1]
                        + "' but must match a * in: " + e.subject());
            }
        }
    }

    private static boolean hasWildcard(String subject) {
        if (subject == null) {
            return false;
        }
        for (String t : subject.split("\\.", -1)) {
            if (t.equals("*") || t.equals(">")) {
                return true;
            }
        }
        return false;
    }
}
