package dev.courier.producer.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;

/**
 * Certificates made at test time with the JDK's {@code keytool} (the JDK has no public API to issue certificates),
 * in a temporary directory deleted at JVM exit; nothing is committed. One test CA issues:
 * <ul>
 *   <li>a broker certificate (RSA 2048) for {@code DNS:localhost} only, so dialling {@code 127.0.0.1} fails hostname
 *   verification;</li>
 *   <li>a client certificate (EC P-256) for mutual TLS;</li>
 * </ul>
 * and a second CA that issued nothing the broker uses (an "untrusted" CA for clients to trust by mistake); on request
 * ({@link #expiredClientKeyStore()}) also an expired client certificate from the test CA.
 * Every store is PKCS12 unless named otherwise; {@link #PASSWORD} protects all of them.
 *
 * <p>{@link #get()} generates once per JVM; thread-safe.
 */
public final class TestCertificates {

    /** Password of every store and of the encrypted PEM key. Test-only. */
    public static final String PASSWORD = "test-store-pw";

    private static TestCertificates instance;

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** The certificates of this JVM, generated on first use (about a dozen keytool runs). */
    public static synchronized TestCertificates get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("courier-tls-");
                dir.toFile().deleteOnExit();
                TestCertificates certificates = new TestCertificates(dir);
                certificates.generate();
                instance = certificates;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    private void generate() throws IOException {
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=courier-test-ca",
                "-ext", "bc:c", "-validity", "2", "-keystore", path("ca.p12"), "-storetype", "PKCS12",
                "-storepass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", path("ca.p12"), "-storepass", PASSWORD,
                "-file", path("ca.pem"));
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", path("ca.pem"), "-keystore", path("truststore.p12"),
                "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", path("ca.pem"), "-keystore", path("truststore.jks"),
                "-storetype", "JKS", "-storepass", PASSWORD);
        issue("server", "CN=localhost", new String[] {"-keyalg", "RSA", "-keysize", "2048"}, "san=dns:localhost");
        issue("client", "CN=courier-client", new String[] {"-keyalg", "EC", "-groupname", "secp256r1"}, null);
        keytool("-importkeystore", "-srckeystore", path("client.p12"), "-srcstoretype", "PKCS12", "-srcstorepass",
                PASSWORD, "-destkeystore", path("client.jks"), "-deststoretype", "JKS", "-deststorepass", PASSWORD);
        keytool("-genkeypair", "-alias", "other", "-keyalg", "RSA", "-keysize", "2048", "-dname",
                "CN=courier-other-ca", "-ext", "bc:c", "-validity", "2", "-keystore", path("other-ca.p12"),
                "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "other", "-keystore", path("other-ca.p12"), "-storepass", PASSWORD,
                "-file", path("other-ca.pem"));
        writePemKeys();
    }

    /** A key pair in {@code <name>.p12}, its certificate issued by the CA and installed with the chain. */
    private void issue(String name, String dname, String[] keyOptions, String san) throws IOException {
        List<String> generate = new ArrayList<>(List.of("-genkeypair", "-alias", name, "-dname", dname, "-validity", "2",
                "-keystore", path(name + ".p12"), "-storetype", "PKCS12", "-storepass", PASSWORD));
        generate.addAll(List.of(keyOptions));
        keytool(generate.toArray(String[]::new));
        keytool("-certreq", "-alias", name, "-keystore", path(name + ".p12"), "-storepass", PASSWORD,
                "-file", path(name + ".csr"));
        List<String> sign = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", path("ca.p12"),
                "-storepass", PASSWORD, "-infile", path(name + ".csr"), "-outfile", path(name + ".pem"),
                "-validity", "2"));
        if (san != null) {
            sign.addAll(List.of("-ext", san));
        }
        keytool(sign.toArray(String[]::new));
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", path("ca.pem"), "-keystore", path(name + ".p12"),
                "-storepass", PASSWORD);
        keytool("-importcert", "-alias", name, "-file", path(name + ".pem"), "-keystore", path(name + ".p12"),
                "-storepass", PASSWORD);
    }

    /** The client key as PKCS#8 PEM, plain and encrypted (PBES2, AES-256), and its chain as PEM. */
    private void writePemKeys() throws IOException {
        try (InputStream in = Files.newInputStream(dir.resolve("client.p12"))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            PrivateKey key = (PrivateKey) store.getKey("client", PASSWORD.toCharArray());
            Files.writeString(Path.of(path("client-key.pem")), pem("PRIVATE KEY", key.getEncoded()));
            Files.writeString(Path.of(path("client-key-encrypted.pem")), pem("ENCRYPTED PRIVATE KEY", encrypt(key)));
            StringBuilder chain = new StringBuilder();
            for (java.security.cert.Certificate certificate : store.getCertificateChain("client")) {
                chain.append(pem("CERTIFICATE", certificate.getEncoded()));
            }
            Files.writeString(Path.of(path("client-chain.pem")), chain.toString());
            Files.writeString(Path.of(path("client-keystore.pem")), Files.readString(dir.resolve("client-key.pem"))
                    + chain);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot write the client key as PEM", e);
        }
    }

    private static byte[] encrypt(PrivateKey key) throws GeneralSecurityException, IOException {
        String algorithm = "PBEWithHmacSHA256AndAES_256";
        byte[] salt = new byte[16];
        byte[] iv = new byte[16];
        SecureRandom random = new SecureRandom();
        random.nextBytes(salt);
        random.nextBytes(iv);
        Cipher cipher = Cipher.getInstance(algorithm);
        cipher.init(Cipher.ENCRYPT_MODE,
                SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(PASSWORD.toCharArray())),
                new PBEParameterSpec(salt, 10_000, new IvParameterSpec(iv)));
        byte[] encrypted = cipher.doFinal(key.getEncoded());
        // As openssl pkcs8 -topk8 -v2 aes-256-cbc writes it: the JDK cannot name PBES2 in EncryptedPrivateKeyInfo's
        // constructor, so the DER is put together here: SEQUENCE { SEQUENCE { OID pbes2, params }, OCTET STRING }.
        byte[] pbes2Oid = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x05, 0x0D};
        byte[] algorithmId = der(0x30, concat(pbes2Oid, cipher.getParameters().getEncoded()));
        byte[] info = der(0x30, concat(algorithmId, der(0x04, encrypted)));
        new EncryptedPrivateKeyInfo(info); // fails here rather than in the code under test if the DER is wrong
        return info;
    }

    private static byte[] der(int tag, byte[] content) {
        int length = content.length;
        byte[] header;
        if (length < 0x80) {
            header = new byte[] {(byte) tag, (byte) length};
        } else if (length < 0x100) {
            header = new byte[] {(byte) tag, (byte) 0x81, (byte) length};
        } else {
            header = new byte[] {(byte) tag, (byte) 0x82, (byte) (length >> 8), (byte) length};
        }
        return concat(header, content);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private String path(String file) {
        Path path = dir.resolve(file);
        path.toFile().deleteOnExit();
        return path.toString();
    }

    /**
     * {@code client-expired.p12}: a client key pair whose certificate the test CA issued for one day three days ago,
     * made on first call. A client sends it (its issuer is one the broker names), and the broker refuses it.
     */
    public synchronized Path expiredClientKeyStore() {
        Path store = dir.resolve("client-expired.p12");
        if (!Files.exists(store)) {
            try {
                keytool("-genkeypair", "-alias", "client", "-dname", "CN=courier-expired-client", "-keyalg", "EC",
                        "-groupname", "secp256r1", "-keystore", path("client-expired.p12"), "-storetype", "PKCS12",
                        "-storepass", PASSWORD);
                keytool("-certreq", "-alias", "client", "-keystore", path("client-expired.p12"), "-storepass",
                        PASSWORD, "-file", path("client-expired.csr"));
                keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", path("ca.p12"), "-storepass", PASSWORD,
                        "-infile", path("client-expired.csr"), "-outfile", path("client-expired.pem"),
                        "-startdate", "-3d", "-validity", "1");
                keytool("-importcert", "-noprompt", "-alias", "ca", "-file", path("ca.pem"), "-keystore",
                        path("client-expired.p12"), "-storepass", PASSWORD);
                keytool("-importcert", "-alias", "client", "-file", path("client-expired.pem"), "-keystore",
                        path("client-expired.p12"), "-storepass", PASSWORD);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return store;
    }

    /** A file of the set: ca.pem, truststore.p12/.jks, server.p12, client.p12/.jks, client-key.pem, ... */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /** The text of a PEM file of the set. */
    public String text(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running keytool", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
        }
    }
}
