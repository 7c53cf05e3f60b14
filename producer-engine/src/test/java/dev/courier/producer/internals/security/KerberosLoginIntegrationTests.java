package dev.courier.producer.internals.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.errors.SaslAuthenticationException;
import dev.courier.producer.internals.util.ManualTime;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.kerberos.KerberosTicket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link KerberosLogin} against a real KDC ({@link TestKdc}): one login serves every connection until 80% of the
 * ticket-granting ticket's lifetime has passed, then the next connection gets a fresh login; the clock is moved by
 * the test, not waited for.
 */
class KerberosLoginIntegrationTests {

    private static TestKdc kdc;
    private static Path keytab;

    @BeforeAll
    static void startKdc() throws Exception {
        kdc = TestKdc.start();
        keytab = kdc.keytab("relogin");
    }

    @AfterAll
    static void stopKdc() throws Exception {
        if (kdc != null) {
            kdc.close();
        }
    }

    @Test
    void logsInOnceAndAgainOnlyAfterEightyPercentOfTheTicketLifetime() {
        ManualTime time = new ManualTime(System.currentTimeMillis()); // the KDC stamps tickets with the real time
        try (KerberosLogin login = new KerberosLogin(JaasConfig.parse(TestKdc.keytabJaas(keytab, "relogin")), time)) {
            Subject first = login.subject();
            assertThat(first.getPrincipals(KerberosPrincipal.class)).extracting(KerberosPrincipal::getName)
                    .containsExactly("relogin@" + TestKdc.REALM);
            KerberosTicket tgt = ticket(first);
            long lifetimeMs = tgt.getEndTime().getTime() - tgt.getStartTime().getTime();
            assertThat(lifetimeMs).isGreaterThan(TimeUnit.MINUTES.toMillis(10));

            time.sleep((long) (lifetimeMs * 0.7));
            assertThat(login.subject()).as("70% into the ticket's lifetime").isSameAs(first);

            time.sleep((long) (lifetimeMs * 0.15));
            Subject second = login.subject();
            assertThat(second).as("85% into the ticket's lifetime").isNotSameAs(first);
            assertThat(ticket(second)).isNotNull().isNotSameAs(tgt);
            assertThat(login.subject()).isSameAs(second);
        }
    }

    @Test
    void aPrincipalTheKeytabDoesNotHoldFailsAsASaslAuthenticationError() {
        JaasConfig jaas = JaasConfig.parse(TestKdc.keytabJaas(keytab, "someone-else"));
        try (KerberosLogin login = new KerberosLogin(jaas, new ManualTime(System.currentTimeMillis()))) {
            assertThatThrownBy(login::subject).isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("Kerberos login for GSSAPI failed");
        }
    }

    private static KerberosTicket ticket(Subject subject) {
        return subject.getPrivateCredentials(KerberosTicket.class).stream()
                .filter(t -> t.getServer().getName().startsWith("krbtgt/")).findFirst().orElse(null);
    }
}
