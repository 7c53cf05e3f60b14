package dev.courier.producer.internals.config;

import dev.courier.producer.ProducerConfig;
import dev.courier.producer.errors.ConfigException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates bootstrap.servers entries: {@code host:port}, {@code [ipv6]:port} or an unbracketed IPv6
 * address whose last colon separates the port (Kafka accepts all three), and resolves them when the
 * producer starts.
 */
public final class BootstrapServers {

    private static final Logger log = LoggerFactory.getLogger(BootstrapServers.class);
    private static final String BOOTSTRAP_KEY = ProducerConfig.BOOTSTRAP_SERVERS;

    private static final String ALLOWED = "must be a non-empty list of host:port entries with a port between 1 and 65535";

    private BootstrapServers() {
    }

    /**
     * @param raw     the value as given, for error messages
     * @param entries the value split into entries (see {@link ConfigValues#list})
     */
    static List<String> parse(String key, Object raw, List<Object> entries) {
        if (entries.isEmpty()) {
            throw new ConfigException(key, raw, ALLOWED + " (the setting is required)");
        }
        List<String> out = new ArrayList<>(entries.size());
        for (Object entry : entries) {
            if (!(entry instanceof String text)) {
                throw new ConfigException(key, raw, ALLOWED + "; " + entry + " is not a string");
            }
            validate(key, text);
            out.add(text);
        }
        return Collections.unmodifiableList(out);
    }

    private static void validate(String key, String entry) {
        int colon = entry.lastIndexOf(':');
        if (colon < 0) {
            throw new ConfigException(key, entry, ALLOWED + "; the port is missing");
        }
        String host = entry.substring(0, colon);
        String port = entry.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || !validHost(host)) {
            throw new ConfigException(key, entry, ALLOWED + "; the host is empty or contains illegal characters");
        }
        if (!validPort(port)) {
            throw new ConfigException(key, entry, ALLOWED + "; " + (port.isEmpty() ? "the port is missing" : "bad port " + port));
        }
    }

    private static boolean validHost(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '%' || c == ':';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean validPort(String port) {
        if (port.isEmpty() || port.length() > 5) {
            return false;
        }
        for (int i = 0; i < port.length(); i++) {
            if (port.charAt(i) < '0' || port.charAt(i) > '9') {
                return false;
            }
        }
        int value = Integer.parseInt(port);
        return value >= 1 && value <= 65535;
    }

    /**
     * Resolves validated {@code host:port} entries (see {@link #parse}); entries that do not resolve are
     * logged and skipped, as Kafka does.
     *
     * @throws ConfigException when none resolves
     */
    public static List<InetSocketAddress> resolve(List<String> entries) {
        List<InetSocketAddress> addresses = new ArrayList<>(entries.size());
        for (String entry : entries) {
            int colon = entry.lastIndexOf(':');
            String host = entry.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            InetSocketAddress address = new InetSocketAddress(host, Integer.parseInt(entry.substring(colon + 1)));
            if (address.isUnresolved()) {
                log.warn("Cannot resolve bootstrap server {}", entry);
            } else {
                addresses.add(address);
            }
        }
        if (addresses.isEmpty()) {
            throw new ConfigException(BOOTSTRAP_KEY, String.join(",", entries), "no address resolves");
        }
        return addresses;
    }
}
