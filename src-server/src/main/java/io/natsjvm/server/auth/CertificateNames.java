package io.natsjvm.server.auth;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A certificate subject written the ways nats-server 2.9.10 writes it (it uses Go's
 * {@code crypto/x509/pkix} and its own {@code internal/ldap}), so that {@code verify_and_map}
 * finds the same user for the same certificate and CONNZ shows the same {@code subject}:
 * <ul>
 * <li>{@link #rdnSequence} – Go's {@code Name.ToRDNSequence().String()}: the standard attributes
 * only, in Go's fixed order (C, ST, L, STREET, POSTALCODE, O, OU, CN, SERIALNUMBER), printed
 * last first;</li>
 * <li>{@link #nameString} – Go's {@code Name.String()}: the same, with every other attribute
 * appended as {@code OID=#hex};</li>
 * <li>{@link #distinguishedName} – the ldap package's DN of the raw subject (RDNs last first,
 * only its known types; anything else means "no DN").</li>
 * </ul>
 */
public final class CertificateNames {
    /** The attribute types Go's pkix names, by OID. */
    private static final Map<String, String> GO_TYPES = Map.of("2.5.4.6", "C", "2.5.4.10", "O", "2.5.4.11", "OU",
            "2.5.4.3", "CN", "2.5.4.5", "SERIALNUMBER", "2.5.4.7", "L", "2.5.4.8", "ST", "2.5.4.9", "STREET",
            "2.5.4.17", "POSTALCODE");
    /** The types the ldap package knows (Go's plus DC). */
    private static final Map<String, String> LDAP_TYPES = Map.of("2.5.4.3", "CN", "2.5.4.5", "SERIALNUMBER",
            "2.5.4.6", "C", "2.5.4.7", "L", "2.5.4.8", "ST", "2.5.4.9", "STREET", "2.5.4.10", "O", "2.5.4.11", "OU",
            "2.5.4.17", "POSTALCODE", "0.9.2342.19200300.100.1.25", "DC");
    /** Go's ToRDNSequence order. */
    private static final List<String> GO_ORDER = List.of("2.5.4.6", "2.5.4.8", "2.5.4.7", "2.5.4.9", "2.5.4.17",
            "2.5.4.10", "2.5.4.11");
    private static final String CN = "2.5.4.3";
    private static final String SERIAL = "2.5.4.5";
    static final String DC = "0.9.2342.19200300.100.1.25";

    /** One attribute: its type name (or OID) and value. */
    public record Attribute(String type, String value) {
    }

    private CertificateNames() {
    }

    public static X500Name subject(X509Certificate cert) {
        return X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
    }

    public static String rdnSequence(X500Name name) {
        return print(goSequence(name));
    }

    public static String nameString(X500Name name) {
        List<List<Attribute>> rdns = new ArrayList<>();
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                String oid = atv.getType().getId();
                if (!GO_TYPES.containsKey(oid) && text(atv.getValue()) != null) {
                    // non-standard values go first, so they print last
                    rdns.add(List.of(new Attribute(oid, "#" + HexFormat.of().formatHex(goDer(text(atv.getValue()))))));
                }
            }
        }
        rdns.addAll(goSequence(name));
        return print(rdns);
    }

    /** The DC values as {@code DC=a,DC=b} in certificate order (the reference's extra candidate). */
    public static String domainComponents(X500Name name) {
        List<String> dcs = new ArrayList<>();
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                String v = text(atv.getValue());
                if (atv.getType().getId().equals(DC) && v != null) {
                    dcs.add("DC=" + v);
                }
            }
        }
        return String.join(",", dcs);
    }

    /** The subject as the ldap package reads it, or null when it has a type that package does not know. */
    public static List<List<Attribute>> distinguishedName(X500Name name) {
        RDN[] rdns = name.getRDNs();
        List<List<Attribute>> dn = new ArrayList<>();
        for (int i = rdns.length - 1; i >= 0; i--) {
            AttributeTypeAndValue[] atvs = rdns[i].getTypesAndValues();
            if (atvs.length == 0) {
                continue;
            }
            List<Attribute> attrs = new ArrayList<>();
            for (int j = atvs.length - 1; j >= 0; j--) {
                String type = LDAP_TYPES.get(atvs[j].getType().getId());
                String value = text(atvs[j].getValue());
                if (type == null || value == null) {
                    return null;
                }
                attrs.add(new Attribute(type, value));
            }
            dn.add(attrs);
        }
        return dn;
    }

    /** Go's parsed Name fields, as ToRDNSequence lays them out. */
    private static List<List<Attribute>> goSequence(X500Name name) {
        Map<String, List<String>> fields = new HashMap<>();
        String cn = null;
        String serial = null;
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                String oid = atv.getType().getId();
                String v = text(atv.getValue());
                if (v == null) {
                    continue; // Go keeps string values only
                }
                if (oid.equals(CN)) {
                    cn = v;
                } else if (oid.equals(SERIAL)) {
                    serial = v;
                } else if (GO_TYPES.containsKey(oid)) {
                    fields.computeIfAbsent(oid, k -> new ArrayList<>()).add(v);
                }
            }
        }
        List<List<Attribute>> out = new ArrayList<>();
        for (String oid : GO_ORDER) {
            List<String> values = fields.get(oid);
            if (values != null) {
                out.add(values.stream().map(v -> new Attribute(GO_TYPES.get(oid), v)).toList());
            }
        }
        if (cn != null && !cn.isEmpty()) {
            out.add(List.of(new Attribute("CN", cn)));
        }
        if (serial != null && !serial.isEmpty()) {
            out.add(List.of(new Attribute("SERIALNUMBER", serial)));
        }
        return out;
    }

    /** RFC 2253 as Go prints it: last RDN first, '+' within one, Go's escapes. */
    private static String print(List<List<Attribute>> rdns) {
        StringBuilder b = new StringBuilder();
        for (int i = rdns.size() - 1; i >= 0; i--) {
            if (b.length() > 0) {
                b.append(',');
            }
            List<Attribute> rdn = rdns.get(i);
            for (int j = 0; j < rdn.size(); j++) {
                if (j > 0) {
                    b.append('+');
                }
                Attribute a = rdn.get(j);
                b.append(a.type()).append('=');
                b.append(a.value().startsWith("#") && !GO_TYPES.containsValue(a.type()) ? a.value() : escape(a.value()));
            }
        }
        return b.toString();
    }

    private static String escape(String v) {
        StringBuilder b = new StringBuilder(v.length());
        for (int k = 0; k < v.length(); k++) {
            char c = v.charAt(k);
            boolean esc = switch (c) {
                case ',', '+', '"', '\\', '<', '>', ';' -> true;
                case ' ' -> k == 0 || k == v.length() - 1;
                case '#' -> k == 0;
                default -> false;
            };
            if (esc) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    private static String text(ASN1Encodable v) {
        return v instanceof ASN1String s ? s.getString() : null;
    }

    /** Go's asn1.Marshal of a string: PrintableString when it can be, else UTF8String. */
    private static byte[] goDer(String s) {
        boolean printable = s.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9') || " '()+,-./:=?".indexOf(c) >= 0);
        byte[] body = s.getBytes(StandardCharsets.UTF_8);
        byte[] len = body.length < 128 ? new byte[] {(byte) body.length}
                : body.length < 256 ? new byte[] {(byte) 0x81, (byte) body.length}
                : new byte[] {(byte) 0x82, (byte) (body.length >> 8), (byte) body.length};
        byte[] out = new byte[1 + len.length + body.length];
        out[0] = (byte) (printable ? 0x13 : 0x0c);
        System.arraycopy(len, 0, out, 1, len.length);
        System.arraycopy(body, 0, out, 1 + len.length, body.length);
        return out;
    }
}
