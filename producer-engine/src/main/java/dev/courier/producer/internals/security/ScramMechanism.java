package dev.courier.producer.internals.security;

import dev.courier.producer.errors.SaslAuthenticationException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 5802, RFC 7677), without channel binding: client-first,
 * server-first (salt, iterations, combined nonce), client-final with the proof, then the server-final
 * whose signature proves the server knows the password too. A signature that does not match fails the
 * authentication: the client then never trusts that connection.
 */
final class ScramMechanism implements SaslMechanismClient {

    /** Kafka's brokers refuse fewer; a server asking for fewer is not one of them. */
    static final int MIN_ITERATIONS = 4096;

    private enum State { SEND_FIRST, RECEIVE_SERVER_FIRST, RECEIVE_SERVER_FINAL, COMPLETE }

    private final Algorithm algorithm;
    private final String username;
    private final String password;
    private final String clientNonce;
    private State state = State.SEND_FIRST;
    private String clientFirstBare;
    private byte[] expectedServerSignature;

    /** The two hash functions Kafka supports. */
    enum Algorithm {
        SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256"),
        SHA_512("SCRAM-SHA-512", "SHA-512", "HmacSHA512");

        final String mechanism;
        final String digest;
        final String hmac;

        Algorithm(String mechanism, String digest, String hmac) {
            this.mechanism = mechanism;
            this.digest = digest;
            this.hmac = hmac;
        }
    }

    ScramMechanism(Algorithm algorithm, String username, String password) {
        this(algorithm, username, password, randomNonce());
    }

    /** Seam for the RFC test vectors: a fixed client nonce. */
    ScramMechanism(Algorithm algorithm, String username, String password, String clientNonce) {
        this.algorithm = algorithm;
        this.username = username;
        this.password = password;
        this.clientNonce = clientNonce;
    }

    @Override
    public String mechanism() {
        return algorithm.mechanism;
    }

    @Override
    public byte[] initialResponse() {
        if (state != State.SEND_FIRST) {
            throw new IllegalStateException("SCRAM client-first already sent");
        }
        clientFirstBare = "n=" + saslName(username) + ",r=" + clientNonce;
        state = State.RECEIVE_SERVER_FIRST;
        return ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] evaluateChallenge(byte[] challenge) {
        String message = new String(challenge, StandardCharsets.UTF_8);
        return switch (state) {
            case RECEIVE_SERVER_FIRST -> clientFinal(message);
            case RECEIVE_SERVER_FINAL -> {
                verifyServerFinal(message);
                yield null;
            }
            default -> throw new SaslAuthenticationException(algorithm.mechanism
                    + ": unexpected server message in state " + state);
        };
    }

    @Override
    public boolean isComplete() {
        return state == State.COMPLETE;
    }

    private byte[] clientFinal(String serverFirst) {
        String nonce = null;
        String salt = null;
        String iterationsText = null;
        for (String attribute : serverFirst.split(",")) {
            if (attribute.startsWith("r=")) {
                nonce = attribute.substring(2);
            } else if (attribute.startsWith("s=")) {
                salt = attribute.substring(2);
            } else if (attribute.startsWith("i=")) {
                iterationsText = attribute.substring(2);
            } else if (attribute.startsWith("e=")) {
                throw fail("the server refused: " + attribute.substring(2));
            } else if (attribute.startsWith("m=")) {
                throw fail("the server requires an extension this client does not support");
            }
        }
        if (nonce == null || salt == null || iterationsText == null) {
            throw fail("malformed server-first message");
        }
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw fail("the server nonce does not extend the client nonce");
        }
        int iterations;
        byte[] saltBytes;
        try {
            iterations = Integer.parseInt(iterationsText);
            saltBytes = Base64.getDecoder().decode(salt);
        } catch (IllegalArgumentException e) {
            throw fail("malformed salt or iteration count in the server-first message");
        }
        if (iterations < MIN_ITERATIONS) {
            throw fail("the server asked for " + iterations + " iterations, fewer than the minimum " + MIN_ITERATIONS);
        }
        String clientFinalWithoutProof = "c=biws,r=" + nonce; // biws = base64("n,,"): no channel binding
        String authMessage = clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof;
        byte[] saltedPassword = hi(password.getBytes(StandardCharsets.UTF_8), saltBytes, iterations);
        byte[] clientKey = hmac(saltedPassword, "Client Key".getBytes(StandardCharsets.UTF_8));
        byte[] storedKey = hash(clientKey);
        byte[] clientSignature = hmac(storedKey, authMessage.getBytes(StandardCharsets.UTF_8));
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
        }
        byte[] serverKey = hmac(saltedPassword, "Server Key".getBytes(StandardCharsets.UTF_8));
        expectedServerSignature = hmac(serverKey, authMessage.getBytes(StandardCharsets.UTF_8));
        state = State.RECEIVE_SERVER_FINAL;
        return (clientFinalWithoutProof + ",p=" + Base64.getEncoder().encodeToString(proof))
                .getBytes(StandardCharsets.UTF_8);
    }

    private void verifyServerFinal(String serverFinal) {
        if (serverFinal.startsWith("e=")) {
            throw fail("the server refused: " + serverFinal.substring(2));
        }
        if (!serverFinal.startsWith("v=")) {
            throw fail("malformed server-final message");
        }
        String value = serverFinal.substring(2);
        int comma = value.indexOf(',');
        if (comma >= 0) {
            value = value.substring(0, comma);
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw fail("malformed server signature");
        }
        if (!MessageDigest.isEqual(signature, expectedServerSignature)) {
            throw fail("the server signature does not match: the server does not know this user's credentials");
        }
        state = State.COMPLETE;
    }

    private SaslAuthenticationException fail(String why) {
        return new SaslAuthenticationException(algorithm.mechanism + " authentication of user " + username
                + " failed: " + why);
    }

    /** Hi(str, salt, i) of RFC 5802: PBKDF2 with the HMAC of this algorithm and one output block. */
    byte[] hi(byte[] str, byte[] salt, int iterations) {
        try {
            Mac mac = mac(str);
            mac.update(salt);
            byte[] u = mac.doFinal(new byte[] {0, 0, 0, 1});
            byte[] result = u.clone();
            for (int i = 1; i < iterations; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < result.length; j++) {
                    result[j] ^= u[j];
                }
            }
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.hmac + " is not available", e);
        }
    }

    private byte[] hmac(byte[] key, byte[] data) {
        try {
            return mac(key).doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.hmac + " is not available", e);
        }
    }

    private Mac mac(byte[] key) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(algorithm.hmac);
        mac.init(new SecretKeySpec(key, algorithm.hmac));
        return mac;
    }

    private byte[] hash(byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm.digest).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.digest + " is not available", e);
        }
    }

    /** RFC 5802 saslname: ',' and '=' escaped as =2C and =3D. */
    static String saslName(String name) {
        return name.replace("=", "=3D").replace(",", "=2C");
    }

    private static String randomNonce() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).replace(',', '-');
    }

    @Override
    public String toString() {
        return "ScramMechanism(" + algorithm.mechanism + ", user=" + username + ")";
    }
}
