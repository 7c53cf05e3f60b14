package dev.courier.producer.internals.security;

import dev.courier.producer.errors.SaslAuthenticationException;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;

/**
 * GSSAPI (Kerberos V5) through the JDK's own SASL client, run as the logged-in {@link KerberosLogin} subject so that
 * it finds the ticket-granting ticket there. The broker's service principal is {@code <service>/<host>}, with the
 * host the connection dialled, as Kafka's client does. Quality of protection is {@code auth} only: Kafka carries no
 * SASL integrity or confidentiality layer (use SASL_SSL for encryption).
 */
final class GssapiMechanism implements SaslMechanismClient {

    private final Subject subject;
    private final SaslClient client;

    GssapiMechanism(Subject subject, String serviceName, String host) {
        if (host == null || host.isEmpty()) {
            throw new SaslAuthenticationException("GSSAPI needs the broker's host name to name its service principal");
        }
        this.subject = subject;
        this.client = as(() -> Sasl.createSaslClient(new String[] {"GSSAPI"}, null, serviceName, host,
                Map.of(Sasl.QOP, "auth"), callbacks -> {
                    throw new UnsupportedCallbackException(callbacks[0]);
                }));
        if (client == null) {
            throw new SaslAuthenticationException("This JDK offers no GSSAPI SASL client");
        }
    }

    @Override
    public String mechanism() {
        return "GSSAPI";
    }

    @Override
    public byte[] initialResponse() {
        return client.hasInitialResponse() ? as(() -> client.evaluateChallenge(new byte[0])) : new byte[0];
    }

    @Override
    public byte[] evaluateChallenge(byte[] challenge) {
        if (client.isComplete()) {
            return null; // the broker's empty answer to the last token: nothing more to say
        }
        byte[] next = as(() -> client.evaluateChallenge(challenge == null ? new byte[0] : challenge));
        return next == null ? new byte[0] : next;
    }

    @Override
    public boolean isComplete() {
        return client.isComplete();
    }

    @SuppressWarnings("removal") // Subject.doAs is how a JDK 17 caller lends GSS its credentials
    private <T> T as(PrivilegedExceptionAction<T> action) {
        try {
            return Subject.doAs(subject, action);
        } catch (PrivilegedActionException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof SaslException && cause.getCause() != null
                    ? cause.getMessage() + ": " + cause.getCause().getMessage() : String.valueOf(cause.getMessage());
            throw new SaslAuthenticationException("GSSAPI authentication failed: " + why, cause);
        }
    }
}
