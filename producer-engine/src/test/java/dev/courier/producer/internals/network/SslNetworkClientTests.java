package dev.courier.producer.internals.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.producer.errors.SslAuthenticationException;
import dev.courier.producer.internals.metadata.Metadata;
import dev.courier.producer.internals.metadata.Node;
import dev.courier.producer.internals.security.SslFactory;
import dev.courier.producer.internals.security.SslSettings;
import dev.courier.producer.internals.util.ManualTime;
import dev.courier.producer.testing.TestCertificates;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The network client over TLS: the handshake is part of connection setup, and a refusal is remembered as such. */
class SslNetworkClientTests {

    private static final TestCertificates CERTS = TestCertificates.get();

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final ManualTime time = new ManualTime();
    private Metadata metadata;
    private NetworkClient client;

    @AfterEach
    void closeResources() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private NetworkClient client(InetSocketAddress bootstrap) {
        metadata = new Metadata(50, 200, 300_000, 300_000);
        metadata.bootstrap(List.of(bootstrap));
        SslFactory ssl = SslFactory.create(SslSettings.from(Map.of(
                "ssl.truststore.location", CERTS.file("truststore.jks").toString(),
                "ssl.truststore.password", TestCertificates.PASSWORD)));
        NetworkClientConfig config = NetworkClientConfig.defaults("tls-client").withReconnectBackoff(20, 100)
                .withConnectionSetupTimeout(1_000, 1_000);
        client = new NetworkClient(new Selector(1024 * 1024, -1, -1, SslTransport.factory(ssl::createClientEngine)),
                metadata, config, time);
        resources.add(client);
        return client;
    }

    private void pollUntil(BooleanSupplier condition) {
        await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1)).until(() -> {
                    client.poll(10, time.monotonicMs());
                    return condition.getAsBoolean();
                });
    }

    @Test
    void aHandshakeTheServerNeverAnswersTimesOutAsConnectionSetup() throws Exception {
        LoopbackServer silent = LoopbackServer.manual(); // accepts TCP, never speaks TLS
        resources.add(silent);
        client(new InetSocketAddress("localhost", silent.address().getPort()));
        Node bootstrap = metadata.fetch().nodes().get(0);
        client.poll(0, time.monotonicMs()); // starts the metadata connection
        Socket accepted = silent.nextConnection();
        for (int i = 0; i < 20; i++) {
            client.poll(5, time.monotonicMs());
        }
        assertThat(accepted.isClosed()).isFalse();
        assertThat(client.isReady(bootstrap, time.monotonicMs())).isFalse();
        assertThat(client.connectionFailed(bootstrap)).isFalse();

        time.sleep(5_000); // past socket.connection.setup.timeout.ms (1 s, plus jitter)
        pollUntil(() -> client.connectionFailed(bootstrap));
        assertThat(client.authenticationFailure(bootstrap)).as("a timeout is no authentication failure").isNull();
    }

    @Test
    void aRefusedHandshakeIsRememberedForTheNodeAndTheMetadata() throws Exception {
        SslSelectorTests.TlsServer server = SslSelectorTests.TlsServer.echo(false);
        resources.add(server);
        // dialled by a name the broker certificate does not carry
        client(new InetSocketAddress("127.0.0.1", server.port()));
        Node bootstrap = metadata.fetch().nodes().get(0);

        pollUntil(() -> client.authenticationFailure(bootstrap) != null);

        assertThat(client.authenticationFailure(bootstrap)).isInstanceOf(SslAuthenticationException.class);
        assertThat(metadata.authenticationFailure()).isSameAs(client.authenticationFailure(bootstrap));
        assertThat(client.connectionFailed(bootstrap)).isTrue();
    }
}
