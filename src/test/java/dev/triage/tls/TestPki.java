package dev.triage.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test CA and server certificates made with the JDK's own keytool (no openssl, no network):
 * valid, expired, not yet valid, for another name. Each leaf is written as PEM (chain and PKCS#8
 * key, for Postfix) and is available as a key store (for in-JVM TLS servers).
 */
public final class TestPki {
    private static final String PASS = "triage-test";
    private final Path dir;
    private final Path caStore;
    private final Path caPem;

    public record Leaf(Path chainPem, Path keyPem, KeyStore keyStore, char[] password, X509Certificate certificate) { }

    private TestPki(Path dir) {
        this.dir = dir;
        this.caStore = dir.resolve("ca.p12");
        this.caPem = dir.resolve("ca.pem");
    }

    public static TestPki create(Path dir) throws IOException, InterruptedException {
        TestPki pki = new TestPki(dir);
        Files.createDirectories(dir);
        // valid from 10 years ago to 10 years ahead: it predates the "expired" leaves and outlives the tests
        pki.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Triage Test CA",
                "-ext", "bc:c", "-ext", "KU=keyCertSign,cRLSign", "-validity", "7300", "-startdate", "-3650d",
                "-keystore", pki.caStore.toString(), "-storetype", "PKCS12", "-storepass", PASS);
        pki.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", pki.caStore.toString(), "-storepass", PASS,
                "-file", pki.caPem.toString());
        return pki;
    }

    public Path caPem() {
        return caPem;
    }

    /**
     * A server certificate signed by the CA.
     *
     * @param names     SANs as keytool writes them, e.g. "dns:localhost,ip:127.0.0.1"
     * @param startdate keytool's relative start, e.g. "-1d", "-400d", "+400d"
     * @param days      validity from the start
     */
    public Leaf leaf(String name, String cn, String names, String startdate, int days)
            throws IOException, InterruptedException, GeneralSecurityException {
        Path store = dir.resolve(name + ".p12");
        Path csr = dir.resolve(name + ".csr");
        Path crt = dir.resolve(name + ".crt");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + cn,
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASS);
        keytool("-certreq", "-alias", name, "-keystore", store.toString(), "-storepass", PASS, "-file", csr.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", PASS,
                "-infile", csr.toString(), "-outfile", crt.toString(), "-startdate", startdate,
                "-validity", String.valueOf(days), "-ext", "SAN=" + names, "-ext", "EKU=serverAuth",
                "-ext", "KU=digitalSignature");
        KeyStore generated = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            generated.load(in, PASS.toCharArray());
        }
        PrivateKey key = (PrivateKey) generated.getKey(name, PASS.toCharArray());
        X509Certificate leaf = read(crt);
        X509Certificate ca = read(caPem);
        KeyStore server = KeyStore.getInstance("PKCS12");
        server.load(null, null);
        server.setKeyEntry(name, key, PASS.toCharArray(), new Certificate[]{leaf, ca});
        Path chainPem = dir.resolve(name + "-chain.pem");
        Files.writeString(chainPem, pem("CERTIFICATE", leaf.getEncoded()) + pem("CERTIFICATE", ca.getEncoded()));
        Path keyPem = dir.resolve(name + "-key.pem");
        Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
        return new Leaf(chainPem, keyPem, server, PASS.toCharArray(), leaf);
    }

    /** A certificate signed by nobody the system trusts: its own self-signed key pair. */
    public Leaf selfSigned(String name, String cn, String names) throws IOException, InterruptedException,
            GeneralSecurityException {
        Path store = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + cn,
                "-ext", "SAN=" + names, "-validity", "30", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", PASS);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASS.toCharArray());
        }
        X509Certificate cert = (X509Certificate) ks.getCertificate(name);
        PrivateKey key = (PrivateKey) ks.getKey(name, PASS.toCharArray());
        Path chainPem = dir.resolve(name + "-chain.pem");
        Files.writeString(chainPem, pem("CERTIFICATE", cert.getEncoded()));
        Path keyPem = dir.resolve(name + "-key.pem");
        Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
        return new Leaf(chainPem, keyPem, ks, PASS.toCharArray(), cert);
    }

    private static X509Certificate read(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }
}
