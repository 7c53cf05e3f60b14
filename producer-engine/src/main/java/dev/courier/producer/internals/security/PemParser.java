package dev.courier.producer.internals.security;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads PEM text as kafka-clients accepts it: X.509 certificates ({@code CERTIFICATE}) and one PKCS#8 private key,
 * plain ({@code PRIVATE KEY}) or encrypted with a password ({@code ENCRYPTED PRIVATE KEY}); RSA, EC, EdDSA or DSA.
 * Text outside the BEGIN/END markers (such as openssl's "Bag Attributes") is ignored.
 *
 * <p>Failures are {@link PemException}s whose messages describe the problem and never include the key
 * material or the password.
 */
final class PemParser {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "EdDSA", "DSA"};

    /** Malformed or unusable PEM; the message is safe to show. */
    static final class PemException extends Exception {
        PemException(String message) {
            super(message);
        }
    }

    private record Block(String type, byte[] der) {
    }

    private PemParser() {
    }

    /** Every certificate in the text, in order; at least one. */
    static List<X509Certificate> certificates(String pem) throws PemException {
        List<X509Certificate> certificates = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("The JDK has no X.509 certificate factory", e);
        }
        for (Block block : blocks(pem)) {
            if (!block.type.equals("CERTIFICATE")) {
                continue;
            }
            try {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der)));
            } catch (CertificateException e) {
                throw new PemException("a CERTIFICATE block is not a valid X.509 certificate");
            }
        }
        if (certificates.isEmpty()) {
            throw new PemException("no -----BEGIN CERTIFICATE----- block found");
        }
        return certificates;
    }

    /**
     * The one private key in the text.
     *
     * @param password for an ENCRYPTED PRIVATE KEY; null when the key is not encrypted
     */
    static PrivateKey privateKey(String pem, Password password) throws PemException {
        Block key = null;
        for (Block block : blocks(pem)) {
            if (block.type.equals("PRIVATE KEY") || block.type.equals("ENCRYPTED PRIVATE KEY")) {
                if (key != null) {
                    throw new PemException("more than one private key found");
                }
                key = block;
            } else if (block.type.endsWith("PRIVATE KEY")) {
                throw new PemException("a " + block.type + " block is not supported; convert the key to PKCS#8 "
                        + "(-----BEGIN PRIVATE KEY----- or -----BEGIN ENCRYPTED PRIVATE KEY-----)");
            }
        }
        if (key == null) {
            throw new PemException("no -----BEGIN PRIVATE KEY----- or -----BEGIN ENCRYPTED PRIVATE KEY----- block found");
        }
        PKCS8EncodedKeySpec spec;
        if (key.type.equals("ENCRYPTED PRIVATE KEY")) {
            if (password == null) {
                throw new PemException("the private key is encrypted but ssl.key.password is not set");
            }
            spec = decrypt(key.der, password);
        } else {
            if (password != null) {
                throw new PemException("ssl.key.password is set but the private key is not encrypted");
            }
            spec = new PKCS8EncodedKeySpec(key.der);
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // try the next algorithm
            }
        }
        throw new PemException("the private key is not an RSA, EC, EdDSA or DSA PKCS#8 key");
    }

    private static PKCS8EncodedKeySpec decrypt(byte[] der, Password password) throws PemException {
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            // For PBES2 keys the JDK names the cipher through the parameters (e.g. PBEWithHmacSHA256AndAES_256).
            String algorithm = info.getAlgName();
            if ((algorithm.equals("PBES2") || Character.isDigit(algorithm.charAt(0))) && info.getAlgParameters() != null) {
                algorithm = info.getAlgParameters().toString();
            }
            SecretKeyFactory keyFactory = SecretKeyFactory.getInstance(algorithm);
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, keyFactory.generateSecret(new PBEKeySpec(password.chars())),
                    info.getAlgParameters());
            return info.getKeySpec(cipher);
        } catch (java.io.IOException e) {
            throw new PemException("the ENCRYPTED PRIVATE KEY block is not valid PKCS#8");
        } catch (GeneralSecurityException e) {
            throw new PemException("cannot decrypt the private key: wrong ssl.key.password, or an encryption "
                    + "algorithm the JDK does not support (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static List<Block> blocks(String pem) throws PemException {
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(pem);
        while (matcher.find()) {
            String base64 = matcher.group(2).replaceAll("\\s", "");
            if (base64.contains(":")) {
                throw new PemException("a " + matcher.group(1) + " block has headers (legacy encryption); "
                        + "use PKCS#8 instead");
            }
            try {
                blocks.add(new Block(matcher.group(1), Base64.getDecoder().decode(base64)));
            } catch (IllegalArgumentException e) {
                throw new PemException("a " + matcher.group(1) + " block is not valid base64");
            }
        }
        return blocks;
    }
}
