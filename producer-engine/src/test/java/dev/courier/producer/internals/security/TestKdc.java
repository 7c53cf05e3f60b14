package dev.courier.producer.internals.security;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.server.SimpleKdcServer;

/**
 * A Kerberos KDC in the test JVM (Apache Kerby), TCP on loopback, realm {@value #REALM}; principals and keytabs are
 * made at test time in a temporary directory that {@link #close()} deletes. Points the JVM-wide
 * {@code java.security.krb5.conf} at a krb5.conf of its own while it runs (TCP only, no DNS canonicalization, so
 * that a service principal is {@code <service>/localhost} whatever the resolver makes of localhost) and restores the
 * previous value on close.
 */
public final class TestKdc implements AutoCloseable {

    public static final String REALM = "COURIER.TEST";

    private final Path dir;
    private final SimpleKdcServer kdc;
    private final String previousKrb5Conf;

    private TestKdc(Path dir, SimpleKdcServer kdc, String previousKrb5Conf) {
        this.dir = dir;
        this.kdc = kdc;
        this.previousKrb5Conf = previousKrb5Conf;
    }

    /** Starts a KDC; the caller closes it. */
    public static TestKdc start() throws IOException, KrbException {
        Path dir = Files.createTempDirectory("courier-kdc-");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String previous = System.getProperty("java.security.krb5.conf");
        SimpleKdcServer kdc = new SimpleKdcServer();
        kdc.setWorkDir(dir.toFile());
        kdc.setKdcHost("localhost");
        kdc.setKdcRealm(REALM);
        kdc.setKdcTcpPort(port);
        kdc.setAllowUdp(false);
        kdc.init(); // sets java.security.krb5.conf to a file of Kerby's; ours replaces it below
        kdc.start();
        Path krb5 = dir.resolve("krb5.conf");
        Files.writeString(krb5, String.join("\n",
                "[libdefaults]",
                "  default_realm = " + REALM,
                "  udp_preference_limit = 1",
                "  dns_lookup_kdc = false",
                "  dns_lookup_realm = false",
                "  dns_canonicalize_hostname = false",
                "  rdns = false",
                "[realms]",
                "  " + REALM + " = {",
                "    kdc = localhost:" + port,
                "  }",
                ""), StandardCharsets.UTF_8);
        System.setProperty("java.security.krb5.conf", krb5.toString());
        return new TestKdc(dir, kdc, previous);
    }

    /** Creates {@code principal} (without realm) with a random key and returns the keytab holding it. */
    public Path keytab(String principal) throws KrbException {
        Path keytab = dir.resolve(principal.replace('/', '_') + ".keytab");
        kdc.createAndExportPrincipals(keytab.toFile(), principal);
        return keytab;
    }

    /** A path in the KDC's directory where no file is. */
    public Path missingFile(String name) {
        return dir.resolve("missing-" + name);
    }

    /**
     * The JAAS line a Kafka user writes for a keytab login as {@code principal} (without realm), plus
     * {@code refreshKrb5Config=true}: the JDK caches krb5.conf JVM-wide, and each TestKdc of the test JVM has a port
     * (and so a krb5.conf) of its own.
     */
    public static String keytabJaas(Path keytab, String principal) {
        return "com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true storeKey=true"
                + " refreshKrb5Config=true keyTab=\"" + keytab + "\" principal=\"" + principal + "@" + REALM + "\";";
    }

    @Override
    public void close() throws KrbException {
        try {
            kdc.stop();
        } finally {
            if (previousKrb5Conf == null) {
                System.clearProperty("java.security.krb5.conf");
            } else {
                System.setProperty("java.security.krb5.conf", previousKrb5Conf);
            }
            deleteQuietly(dir.toFile());
        }
    }

    private static void deleteQuietly(File file) {
        File[] children = file.listFiles();
        if (children != null) {
            for (File child : children) {
                deleteQuietly(child);
            }
        }
        if (!file.delete()) {
            file.deleteOnExit();
        }
    }
}
