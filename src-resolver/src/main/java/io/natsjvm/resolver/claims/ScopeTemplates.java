package io.natsjvm.resolver.claims;

import io.natsjvm.resolver.jwt.JwtException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fills in the placeholders of a scoped signing key's subject lists for one user, as nsc users
 * know them: {@code {{name()}}}, {@code {{subject()}}}, {@code {{account-name()}}},
 * {@code {{account-subject()}}}, {@code {{tag(x)}}} and {@code {{account-tag(x)}}} (every value of
 * the user's or account's tags {@code x:value}; several tag placeholders give every combination).
 * A generated subject that is not valid is dropped from an allow list and fails a deny list, and
 * an allow list left empty becomes "deny >", so a template never grants more than it names.
 */
public final class ScopeTemplates {
    private ScopeTemplates() {
    }

    /** The template's permissions and limits for {@code user} of {@code account}. */
    public static UserLimits apply(UserLimits t, UserClaims user, AccountClaims account) throws JwtException {
        List<String> subAllow = expand(t.sub().allow(), user, account, false);
        List<String> subDeny = new ArrayList<>(expand(t.sub().deny(), user, account, true));
        List<String> pubAllow = expand(t.pub().allow(), user, account, false);
        List<String> pubDeny = new ArrayList<>(expand(t.pub().deny(), user, account, true));
        if (!t.sub().allow().isEmpty() && subAllow.isEmpty() && !subDeny.contains(">")) {
            subDeny.add(">");
        }
        if (!t.pub().allow().isEmpty() && pubAllow.isEmpty() && !pubDeny.contains(">")) {
            pubDeny.add(">");
        }
        return new UserLimits(new SubjectRules(pubAllow, pubDeny), new SubjectRules(subAllow, subDeny), t.resp(),
                t.src(), t.subs(), t.data(), t.payload(), t.bearerToken(), t.allowedConnectionTypes(), t.times());
    }

    private static boolean hasPlaceholder(String subject) {
        for (String token : subject.split("\\.", -1)) {
            if (isPlaceholder(token)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isPlaceholder(String token) {
        return token.startsWith("{{") && token.endsWith("}}");
    }

    private static List<String> expand(List<String> subjects, UserClaims user, AccountClaims account,
            boolean failOnInvalid) throws JwtException {
        if (subjects.stream().noneMatch(ScopeTemplates::hasPlaceholder)) {
            return subjects;
        }
        List<String> out = new ArrayList<>();
        for (String subject : subjects) {
            String[] tokens = subject.split("\\.", -1);
            // Per token: one fixed value, or the list of tag values to combine.
            List<List<String>> choices = new ArrayList<>();
            for (String tk : tokens) {
                choices.add(isPlaceholder(tk) ? values(tk, user, account) : List.of(tk));
            }
            for (String generated : combinations(choices)) {
                if (validSubject(generated)) {
                    out.add(generated);
                } else if (failOnInvalid) {
                    throw new JwtException("scoped signing key template generated an invalid subject " + generated);
                }
            }
        }
        return out;
    }

    private static List<String> values(String placeholder, UserClaims user, AccountClaims account) {
        String op = placeholder.substring(2, placeholder.length() - 2).toLowerCase(Locale.ROOT);
        switch (op) {
            case "name()":
                return List.of(nullToEmpty(user.name()));
            case "subject()":
                return List.of(user.subject());
            case "account-name()":
                return List.of(nullToEmpty(account.name()));
            case "account-subject()":
                return List.of(nullToEmpty(user.issuerAccount()));
            default:
                break;
        }
        List<String> tags = null;
        String name = null;
        if (op.startsWith("account-tag(") && op.endsWith(")")) {
            tags = account.tags();
            name = op.substring("account-tag(".length(), op.length() - 1);
        } else if (op.startsWith("tag(") && op.endsWith(")")) {
            tags = user.tags();
            name = op.substring("tag(".length(), op.length() - 1);
        }
        if (tags == null) {
            return List.of(" "); // an unknown placeholder: the subject comes out invalid on purpose
        }
        List<String> found = new ArrayList<>();
        for (String tag : tags) {
            if (tag.startsWith(name + ":")) {
                found.add(tag.substring(name.length() + 1));
            }
        }
        return found.isEmpty() ? List.of("") : found; // no such tag: an empty token, so invalid
    }

    private static List<String> combinations(List<List<String>> choices) {
        List<String> out = new ArrayList<>();
        out.add(null);
        for (List<String> options : choices) {
            List<String> next = new ArrayList<>(out.size() * options.size());
            for (String prefix : out) {
                for (String o : options) {
                    next.add(prefix == null ? o : prefix + "." + o);
                }
            }
            out = next;
        }
        return out;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** Non-empty tokens without white space, with '>' only as the last token. */
    static boolean validSubject(String subject) {
        if (subject.isEmpty()) {
            return false;
        }
        String[] tokens = subject.split("\\.", -1);
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            if (t.isEmpty() || t.chars().anyMatch(c -> c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')) {
                return false;
            }
            if (t.equals(">") && i != tokens.length - 1) {
                return false;
            }
        }
        return true;
    }
}
