package io.natsjvm.server.util;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throwaway certificates for TLS tests, made fresh per run (no private key is checked in): a CA,
 * a server certificate for 127.0.0.1/localhost and client certificates, written as PEM files
 * (PKCS#8 keys) for the server's {@code tls {}} and as SSLContexts for jnats.
 */
public final class TestCerts {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A key and its certificate, with the PEM files written for them. */
    public record Issued(KeyPair key, X509Certificate cert, Path certFile, Path keyFile) {
    }

    private final Path dir;
    public final Issued ca;

    public TestCerts(String caName) throws Exception {
        this.dir = Files.createTempDirectory("certs");
        KeyPair k = rsa();
        X509Certificate c = sign(new X500Name("CN=" + caName), k, new X500Name("CN=" + caName), k, true, null);
        this.ca = write("ca", k, c);
    }

    public Issued server() throws Exception {
        KeyPair k = rsa();
        GeneralNames san = new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.dNSName, "localhost")});
        return write("server", k, sign(new X500Name("CN=localhost"), k, caName(), ca.key(), false, san));
    }

    public Issued client(String cn) throws Exception {
        KeyPair k = rsa();
        return write("client-" + cn, k, sign(new X500Name("CN=" + cn), k, caName(), ca.key(), false, null));
    }

    /**
     * A client certificate with this subject (RFC 4514, as BouncyCastle reads it) and, when not
     * null, an e-mail and a DNS subject alternative name.
     */
    public Issued client(String subject, String email, String dns, String fileName) throws Exception {
        KeyPair k = rsa();
        List<GeneralName> names = new ArrayList<>();
        if (email != null) {
            names.add(new GeneralName(GeneralName.rfc822Name, email));
        }
        if (dns != null) {
            names.add(new GeneralName(GeneralName.dNSName, dns));
        }
        GeneralNames san = names.isEmpty() ? null : new GeneralNames(names.toArray(new GeneralName[0]));
        return write("client-" + fileName, k, sign(new X500Name(subject), k, caName(), ca.key(), false, san));
    }

    private X500Name caName() {
        return new X500Name(ca.cert().getSubjectX500Principal().getName());
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X500Name subject, KeyPair key, X500Name issuer, KeyPair issuerKey,
            boolean isCa, GeneralNames san) throws Exception {
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
                key.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (san != null) {
            b.addExtension(Extension.subjectAlternativeName, false, san);
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey.getPrivate())));
    }

    private Issued write(String name, KeyPair k, X509Certificate c) throws Exception {
        Path cert = dir.resolve(name + "-cert.pem");
        Path key = dir.resolve(name + "-key.pem");
        Files.writeString(cert, pem(c));
        Files.writeString(key, pem(new JcaPKCS8Generator(k.getPrivate(), null).generate()));
        return new Issued(k, c, cert, key);
    }

    private static String pem(Object o) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        return w.toString();
    }

    /** A client SSLContext trusting this CA, presenting {@code clientCert} when not null. */
    public SSLContext clientContext(Issued clientCert) throws Exception {
        return clientContextTrusting(this, clientCert);
    }

    /** A client SSLContext trusting {@code server}'s CA, presenting {@code clientCert} (from any CA). */
    public SSLContext clientContextTrusting(TestCerts server, Issued clientCert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", server.ca.cert());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (clientCert != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("me", clientCert.key().getPrivate(), new char[0],
                    new Certificate[] {clientCert.cert()});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }
}
