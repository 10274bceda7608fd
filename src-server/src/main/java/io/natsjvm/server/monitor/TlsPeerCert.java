package io.natsjvm.server.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.natsjvm.server.auth.CertificateNames;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A certificate the client presented, as CONNZ shows it with {@code auth=true}: the subject as
 * Go prints it, and SHA-256 of its public key info and of the whole certificate, hex.
 */
@JsonInclude(Include.NON_EMPTY)
public record TlsPeerCert(String subject, @JsonProperty("spki_sha256") String spkiSha256,
        @JsonProperty("cert_sha256") String certSha256) {

    static List<TlsPeerCert> of(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            return null;
        }
        List<TlsPeerCert> out = new ArrayList<>();
        for (X509Certificate c : chain) {
            try {
                out.add(new TlsPeerCert(CertificateNames.nameString(CertificateNames.subject(c)),
                        sha256(c.getPublicKey().getEncoded()), sha256(c.getEncoded())));
            } catch (CertificateEncodingException e) {
                out.add(new TlsPeerCert(c.getSubjectX500Principal().getName(), null, null));
            }
        }
        return out;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
