package io.natsjvm.server.auth;

import io.natsjvm.server.auth.CertificateNames.Attribute;
import org.bouncycastle.asn1.x500.X500Name;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * {@code verify_and_map}: which configured user a client certificate stands for, tried in
 * nats-server 2.9.10's order – the e-mail SANs, the DNS SANs, the URI SANs (each as a user name),
 * then the subject as a distinguished name (equal, then the same RDNs in another order), then the
 * subject string with its domain components appended, then the subject string alone.
 */
public final class CertificateMapping {
    private static final int SAN_EMAIL = 1;
    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;

    private CertificateMapping() {
    }

    /** The user name {@code cert} maps to among {@code users}, or null when none matches. */
    public static String userFor(X509Certificate cert, Set<String> users) {
        List<String> emails = sans(cert, SAN_EMAIL);
        List<String> dns = sans(cert, SAN_DNS);
        List<String> uris = sans(cert, SAN_URI);
        for (List<String> candidates : List.of(emails, dns, uris)) {
            for (String c : candidates) {
                if (users.contains(c)) {
                    return c;
                }
            }
        }
        X500Name subject = CertificateNames.subject(cert);
        List<List<Attribute>> certDn = CertificateNames.distinguishedName(subject);
        if (certDn != null) {
            List<String> reordered = new ArrayList<>();
            for (String u : users) {
                List<List<Attribute>> dn = parse(u);
                if (dn == null) {
                    continue;
                }
                if (equal(dn, certDn)) {
                    return u;
                }
                reordered.add(u);
            }
            for (String u : reordered) {
                if (sameRdns(parse(u), certDn)) {
                    return u;
                }
            }
        }
        String rdn = CertificateNames.rdnSequence(subject);
        String dcs = CertificateNames.domainComponents(subject);
        if (!dcs.isEmpty() && users.contains(rdn + "," + dcs)) {
            return rdn + "," + dcs;
        }
        return users.contains(rdn) ? rdn : null;
    }

    private static List<String> sans(X509Certificate cert, int type) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> all = cert.getSubjectAlternativeNames();
            if (all != null) {
                for (List<?> san : all) {
                    if (san.size() >= 2 && san.get(0) instanceof Integer t && t == type && san.get(1) instanceof String v) {
                        out.add(v);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return out;
        }
        return out;
    }

    /** Same RDNs in the same order (types case-insensitive, values exact), as ldap's DN.Equal. */
    private static boolean equal(List<List<Attribute>> a, List<List<Attribute>> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!sameRdn(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Every RDN of one found in the other, in any order (ldap's RDNsMatch). */
    private static boolean sameRdns(List<List<Attribute>> a, List<List<Attribute>> b) {
        if (a.size() != b.size()) {
            return false;
        }
        outer:
        for (List<Attribute> x : a) {
            for (List<Attribute> y : b) {
                if (sameRdn(x, y)) {
                    continue outer;
                }
            }
            return false;
        }
        return true;
    }

    private static boolean sameRdn(List<Attribute> a, List<Attribute> b) {
        return a.size() == b.size() && containsAll(a, b) && containsAll(b, a);
    }

    private static boolean containsAll(List<Attribute> a, List<Attribute> b) {
        for (Attribute x : b) {
            boolean found = false;
            for (Attribute y : a) {
                if (y.type().equalsIgnoreCase(x.type()) && y.value().equals(x.value())) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    /**
     * A user name read as an RFC 4514 distinguished name ({@code CN=a,OU=b+O=c}, with
     * backslash escapes and spaces around separators ignored), or null when it is not one.
     */
    static List<List<Attribute>> parse(String s) {
        List<List<Attribute>> dn = new ArrayList<>();
        List<Attribute> rdn = new ArrayList<>();
        StringBuilder type = new StringBuilder();
        StringBuilder value = new StringBuilder();
        boolean inValue = false;
        int lastEscaped = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && inValue) {
                if (i + 1 >= s.length()) {
                    return null;
                }
                char n = s.charAt(i + 1);
                if (i + 2 < s.length() && isHex(n) && isHex(s.charAt(i + 2))) {
                    value.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                } else {
                    value.append(n);
                    i++;
                }
                lastEscaped = value.length();
            } else if (!inValue && c == '=') {
                inValue = true;
            } else if (inValue && (c == ',' || c == ';' || c == '+')) {
                Attribute a = attribute(type, value, lastEscaped);
                if (a == null) {
                    return null;
                }
                rdn.add(a);
                if (c != '+') {
                    dn.add(rdn);
                    rdn = new ArrayList<>();
                }
                type.setLength(0);
                value.setLength(0);
                inValue = false;
                lastEscaped = -1;
            } else if (inValue) {
                value.append(c);
            } else {
                type.append(c);
            }
        }
        if (!inValue) {
            return null;
        }
        Attribute a = attribute(type, value, lastEscaped);
        if (a == null) {
            return null;
        }
        rdn.add(a);
        dn.add(rdn);
        return dn;
    }

    private static Attribute attribute(StringBuilder type, StringBuilder value, int lastEscaped) {
        String t = type.toString().trim();
        if (t.isEmpty() || !t.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '-' || ch == '.')) {
            return null;
        }
        String v = value.toString();
        int start = 0;
        while (start < v.length() && v.charAt(start) == ' ') {
            start++;
        }
        int end = v.length();
        while (end > start && v.charAt(end - 1) == ' ' && end > lastEscaped) {
            end--;
        }
        return new Attribute(t, v.substring(start, end));
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
