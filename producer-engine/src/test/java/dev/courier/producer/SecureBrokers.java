package dev.courier.producer;

import static org.awaitility.Awaitility.await;

import dev.courier.producer.testing.TestCertificates;
import dev.courier.test.EmbeddedKafka;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/** Broker-side settings and users that the security integration tests share (the starter's too, via the test-jar). */
public final class SecureBrokers {

    /** SCRAM users of {@link #createScramUsers}: {@code scram256} and {@code scram512}, password {@code <user>-secret}. */
    static final List<String> SCRAM_USERS = List.of("scram256", "scram512");

    private SecureBrokers() {
    }

    /**
     * The broker's TLS identity (the {@code localhost} certificate of {@link TestCertificates}) and its trust in the
     * test CA (for listeners that ask for client certificates).
     */
    public static Map<String, String> tlsIdentity(TestCertificates certs) {
        Map<String, String> broker = new HashMap<>();
        broker.put("ssl.keystore.type", "PKCS12");
        broker.put("ssl.keystore.location", certs.file("server.p12").toString());
        broker.put("ssl.keystore.password", TestCertificates.PASSWORD);
        broker.put("ssl.key.password", TestCertificates.PASSWORD);
        broker.put("ssl.truststore.type", "PKCS12");
        broker.put("ssl.truststore.location", certs.file("truststore.p12").toString());
        broker.put("ssl.truststore.password", TestCertificates.PASSWORD);
        return broker;
    }

    /** Creates the {@link #SCRAM_USERS} through the admin client and waits until the broker knows them. */
    static void createScramUsers(EmbeddedKafka kafka) throws Exception {
        kafka.admin().alterUserScramCredentials(List.of(
                new UserScramCredentialUpsertion("scram256", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096),
                        "scram256-secret"),
                new UserScramCredentialUpsertion("scram512", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                        "scram512-secret"))).all().get(30, TimeUnit.SECONDS);
        await("SCRAM users known").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> kafka.admin()
                .describeUserScramCredentials(SCRAM_USERS).all().get().size() == SCRAM_USERS.size());
    }
}
