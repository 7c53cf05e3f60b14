package dev.courier.producer.internals.security;

import dev.courier.producer.errors.SaslAuthenticationException;
import dev.courier.producer.internals.util.Time;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.kerberos.KerberosTicket;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kerberos identity of a GSSAPI producer: a JAAS login through the login module named in {@code sasl.jaas.config}
 * (the JDK's {@code com.sun.security.auth.module.Krb5LoginModule}, typically with a keytab), done on first use and
 * again once 80% of the ticket-granting ticket's lifetime has passed, so that new connections never present an
 * expired ticket. The JAAS line is handed to the login module as an in-memory {@link Configuration}: no JAAS file and
 * no JVM-wide setting is touched (the KDC itself comes from the JDK's krb5.conf, as for Kafka's client).
 *
 * <p>The login talks to the KDC and so blocks (within krb5.conf's {@code kdc_timeout}); it runs on the sender thread
 * when a connection authenticates, like an OAUTHBEARER token fetch. Sender thread only, except {@link #close()}.
 */
final class KerberosLogin implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KerberosLogin.class);
    private static final String CONTEXT = "KafkaClient";
    private static final long MIN_RELOGIN_INTERVAL_MS = 60_000;

    private final JaasConfig jaas;
    private final Time time;
    private LoginContext context;
    /** Wall-clock ms after which the next connection logs in anew. */
    private long reloginAtMs;

    KerberosLogin(JaasConfig jaas, Time time) {
        this.jaas = jaas;
        this.time = time;
    }

    /** The logged-in subject, logging in (again) first when there is none or its ticket is getting old. */
    synchronized Subject subject() {
        long nowMs = time.milliseconds();
        if (context == null || nowMs >= reloginAtMs) {
            login(nowMs);
        }
        return context.getSubject();
    }

    private void login(long nowMs) {
        logoutQuietly();
        String keyTab = jaas.option("keyTab");
        if ("true".equalsIgnoreCase(jaas.option("useKeyTab")) && keyTab != null
                && !java.nio.file.Files.isReadable(java.nio.file.Path.of(keyTab))) {
            throw new SaslAuthenticationException("Kerberos login for GSSAPI failed: the keyTab " + keyTab
                    + " named in sasl.jaas.config is not a readable file");
        }
        LoginContext fresh;
        try {
            fresh = new LoginContext(CONTEXT, new Subject(), callbacks -> {
                // no one to ask for a password: the login module's message then says what it lacked
                throw new UnsupportedCallbackException(callbacks[0],
                        "No password prompt (use a keytab or a ticket cache);");
            }, new InlineConfiguration(jaas));
            fresh.login();
        } catch (LoginException e) {
            // LoginException messages name the principal and the KDC, never a key
            throw new SaslAuthenticationException("Kerberos login for GSSAPI failed: " + e.getMessage(), e);
        }
        context = fresh;
        KerberosTicket tgt = ticketGrantingTicket(fresh.getSubject());
        if (tgt == null || tgt.getEndTime() == null || tgt.getStartTime() == null) {
            reloginAtMs = nowMs + 60 * 60_000L;
        } else {
            long start = tgt.getStartTime().getTime();
            long end = tgt.getEndTime().getTime();
            reloginAtMs = start + (long) ((end - start) * 0.8);
        }
        // a clock skewed against the KDC's (or a very short ticket) must not turn every connection into a login
        reloginAtMs = Math.max(reloginAtMs, nowMs + MIN_RELOGIN_INTERVAL_MS);
        log.info("Kerberos login as {} (next login after {})", principal(fresh.getSubject()),
                java.time.Instant.ofEpochMilli(reloginAtMs));
    }

    private static KerberosTicket ticketGrantingTicket(Subject subject) {
        for (KerberosTicket ticket : subject.getPrivateCredentials(KerberosTicket.class)) {
            if (ticket.getServer().getName().startsWith("krbtgt/")) {
                return ticket;
            }
        }
        return null;
    }

    private static String principal(Subject subject) {
        return subject.getPrincipals().isEmpty() ? "(no principal)" : subject.getPrincipals().iterator().next().getName();
    }

    private void logoutQuietly() {
        if (context != null) {
            try {
                context.logout();
            } catch (LoginException e) {
                log.debug("Kerberos logout failed", e);
            }
            context = null;
        }
    }

    @Override
    public synchronized void close() {
        logoutQuietly();
    }

    /** The one JAAS entry of {@code sasl.jaas.config}, for whatever application name is asked. */
    private static final class InlineConfiguration extends Configuration {
        private final AppConfigurationEntry[] entries;

        InlineConfiguration(JaasConfig jaas) {
            AppConfigurationEntry.LoginModuleControlFlag flag = switch (jaas.flag()) {
                case "requisite" -> AppConfigurationEntry.LoginModuleControlFlag.REQUISITE;
                case "sufficient" -> AppConfigurationEntry.LoginModuleControlFlag.SUFFICIENT;
                case "optional" -> AppConfigurationEntry.LoginModuleControlFlag.OPTIONAL;
                default -> AppConfigurationEntry.LoginModuleControlFlag.REQUIRED;
            };
            this.entries = new AppConfigurationEntry[] {
                    new AppConfigurationEntry(jaas.loginModule(), flag, Map.copyOf(jaas.options()))};
        }

        @Override
        public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
            return entries.clone();
        }
    }
}
