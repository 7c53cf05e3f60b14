package dev.courier.producer.internals.network;

import dev.courier.producer.internals.config.ProducerSettings;

/** Picks the transport of the producer's connections from its security.protocol. */
public final class Transports {

    private Transports() {
    }

    /** TLS when the settings carry a TLS context (security.protocol SSL), plaintext otherwise. */
    public static TransportLayer.Factory forSettings(ProducerSettings settings) {
        if (settings.sslFactory() == null) {
            return TransportLayer.Factory.PLAINTEXT;
        }
        return SslTransport.factory(settings.sslFactory()::createClientEngine);
    }
}
