package dev.courier.test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.courier.test.internals.TopicReader;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.BrokerState;
import org.apache.kafka.metadata.LeaderAndIsr;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.awaitility.Awaitility.await;

/**
 * A real Apache Kafka KRaft cluster in the test JVM (Kafka's {@code KafkaClusterTestKit}).
 *
 * <p>{@link #shared()} is the one-broker cluster that integration tests share: it starts on first use and a
 * shutdown hook closes it when the (failsafe-forked) JVM exits, so tests must not close it and should use
 * {@link #uniqueTopic(String)} to stay independent of each other ({@link #shared(int, Map)} likewise for other
 * shapes; {@link EmbeddedKafkaCluster} is the declarative way in). {@link #start(int)} starts a private cluster
 * (for example three brokers for failover tests) that the caller closes.
 *
 * <p>Broker ids are {@code 0..brokers-1}. A one-broker cluster runs in combined mode (the node is also the
 * KRaft controller); a multi-broker cluster has one dedicated controller (id 3000) so that
 * {@link #stopBroker(int)} never touches the metadata quorum. Topics are never auto-created: tests create
 * them with {@link #createTopic}. {@link #startBehindProxies} starts a cluster whose brokers also advertise a
 * second client listener at addresses the test chooses (where its fault-injecting proxies listen).
 *
 * <p>Thread safety: all methods may be called from any test thread; broker stop/start is serialized on
 * {@code this}.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    /** Name of the extra SASL_PLAINTEXT client listener of {@link #startWithSaslListener}. */
    public static final String SASL_LISTENER = "SASL";
    /** Name of the extra client listener of {@link #startBehindProxies}. */
    public static final String PROXIED_LISTENER = "PROXIED";
    /** The test kit's listener names (checked when a cluster with a proxied listener starts). */
    private static final String DIRECT_LISTENER = "EXTERNAL";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicInteger TOPIC_COUNTER = new AtomicInteger();

    /** The shared clusters by broker count and broker settings; guarded by itself. */
    private static final Map<List<Object>, EmbeddedKafka> SHARED = new HashMap<>();

    private final KafkaClusterTestKit cluster;
    private final Path baseDirectory;
    private final boolean isShared;
    /** Ids of brokers stopped with {@link #stopBroker(int)}; guarded by {@code this}. */
    private final Set<Integer> stoppedBrokers = new TreeSet<>();
    /** Created on first use; guarded by {@code this}. */
    private Admin admin;
    /** Guarded by {@code this}. */
    private boolean closed;

    private EmbeddedKafka(KafkaClusterTestKit cluster, Path baseDirectory, boolean isShared) {
        this.cluster = cluster;
        this.baseDirectory = baseDirectory;
        this.isShared = isShared;
    }

    /** The single-broker cluster shared by every test in this JVM; started lazily, closed at JVM exit. */
    public static EmbeddedKafka shared() {
        return shared(1, Map.of());
    }

    /**
     * The cluster of {@code brokers} brokers with {@code brokerConfigs} (over the harness' defaults) that every caller
     * in this JVM asking for the same shares; started on first use, closed at JVM exit ({@link #close()} does nothing).
     */
    public static EmbeddedKafka shared(int brokers, Map<String, String> brokerConfigs) {
        List<Object> key = List.of(brokers, new TreeMap<>(brokerConfigs));
        synchronized (SHARED) {
            EmbeddedKafka kafka = SHARED.get(key);
            if (kafka == null) {
                kafka = create(brokers, brokerConfigs, true);
                Runtime.getRuntime().addShutdownHook(new Thread(kafka::shutdown, "embedded-kafka-shutdown"));
                SHARED.put(key, kafka);
            }
            return kafka;
        }
    }

    /** Starts a private cluster of {@code brokers} brokers; the caller closes it. */
    public static EmbeddedKafka start(int brokers) {
        return start(brokers, Map.of());
    }

    /** Starts a private cluster, with {@code brokerConfigs} overriding the harness' broker defaults. */
    public static EmbeddedKafka start(int brokers, Map<String, String> brokerConfigs) {
        return create(brokers, brokerConfigs, Map.of(), false);
    }

    /**
     * Starts a private one-broker cluster (with a dedicated controller) whose broker also listens on
     * {@code extraListeners}, listener name to security protocol (for example {@code SSL -> SSL}), each on
     * {@code localhost} at a port of its own ({@link #listenerPort}) and advertised as such. Settings for those
     * listeners (keystores, {@code listener.name.<name>.ssl.client.auth}) go in {@code brokerConfigs}; the direct
     * listener, {@link #admin()} and {@link #consume} stay PLAINTEXT.
     */
    public static EmbeddedKafka startWithListeners(Map<String, String> extraListeners,
                                                   Map<String, String> brokerConfigs) {
        StringBuilder listeners = new StringBuilder(DIRECT_LISTENER + "://localhost:0");
        StringBuilder protocols = new StringBuilder(DIRECT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        extraListeners.forEach((name, protocol) -> {
            listeners.append(',').append(name).append("://localhost:0");
            protocols.append(',').append(name).append(':').append(protocol);
        });
        Map<String, String> props = Map.of("listeners", listeners.toString(),
                "advertised.listeners", listeners.toString(), "listener.security.protocol.map", protocols.toString());
        return create(1, brokerConfigs, Map.of(0, props), false);
    }

    /**
     * Starts a private multi-broker cluster whose brokers also listen on a second client listener,
     * {@value #PROXIED_LISTENER}, advertised as {@code 127.0.0.1:<advertisedPorts.get(id)>} instead of the address it
     * is bound to. A client bootstrapped through that listener gets metadata naming those advertised addresses (a
     * broker answers Metadata with the endpoints of the listener the request came in on), so when a proxy listens at
     * each advertised port every later connection of that client goes through the proxies, while replication, the
     * controller, {@link #admin()} and {@link #consume} keep using the direct listener. The proxy finds the real
     * address with {@link #proxiedListenerPort(int)} (on 127.0.0.1), which changes when a broker restarts. Loopback by
     * number, not {@code localhost}, so that no lookup can pick an IPv6 address the proxy does not listen on.
     */
    public static EmbeddedKafka startBehindProxies(int brokers, Map<String, String> brokerConfigs,
                                                   Map<Integer, Integer> advertisedPorts) {
        if (brokers < 2) {
            throw new IllegalArgumentException("a proxied listener needs a dedicated controller: at least 2 brokers");
        }
        Map<Integer, Map<String, String>> perBroker = new HashMap<>();
        for (int id = 0; id < brokers; id++) {
            Integer port = advertisedPorts.get(id);
            if (port == null) {
                throw new IllegalArgumentException("No advertised port for broker " + id);
            }
            Map<String, String> props = new HashMap<>();
            props.put("listeners", DIRECT_LISTENER + "://localhost:0," + PROXIED_LISTENER + "://127.0.0.1:0");
            // port 0 in an advertised listener is replaced by the bound port, so the direct listener is unchanged
            props.put("advertised.listeners", DIRECT_LISTENER + "://localhost:0," + PROXIED_LISTENER + "://127.0.0.1:" + port);
            props.put("listener.security.protocol.map", DIRECT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER
                    + ":PLAINTEXT," + PROXIED_LISTENER + ":PLAINTEXT");
            perBroker.put(id, props);
        }
        return create(brokers, brokerConfigs, perBroker, false);
    }

    /**
     * Starts a private cluster formatted with some feature levels other than the release's defaults, e.g.
     * {@code transaction.version=1} to test a cluster without transactions v2.
     */
    public static EmbeddedKafka startWithFeatures(int brokers, Map<String, String> brokerConfigs,
                                                  Map<String, Short> featureLevels) {
        return create(brokers, brokerConfigs, Map.of(), false, featureLevels);
    }

    /**
     * Starts a private one-broker cluster (with a dedicated controller, like {@link #startBehindProxies}) whose
     * broker also listens on a SASL_PLAINTEXT listener, {@value #SASL_LISTENER} (see
     * {@link #saslBootstrapServers()}). {@code brokerConfigs} carry what the listener needs: the enabled mechanisms
     * and the {@code listener.name.sasl.<mechanism>.sasl.jaas.config} entries, and optionally an authorizer.
     * Replication, the controller, {@link #admin()} and {@link #consume} keep the direct PLAINTEXT listener (whose
     * principal is {@code User:ANONYMOUS}, so an authorizer must count it among the super users).
     */
    public static EmbeddedKafka startWithSaslListener(Map<String, String> brokerConfigs) {
        Map<String, String> props = new HashMap<>();
        props.put("listeners", DIRECT_LISTENER + "://localhost:0," + SASL_LISTENER + "://localhost:0");
        props.put("advertised.listeners", DIRECT_LISTENER + "://localhost:0," + SASL_LISTENER + "://localhost:0");
        props.put("listener.security.protocol.map", DIRECT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER
                + ":PLAINTEXT," + SASL_LISTENER + ":SASL_PLAINTEXT");
        return create(1, brokerConfigs, Map.of(0, props), false);
    }

    /** {@code localhost:<port>} of the {@value #SASL_LISTENER} listener (cluster from {@link #startWithSaslListener}). */
    public String saslBootstrapServers() {
        return "localhost:" + broker(0).boundPort(new org.apache.kafka.common.network.ListenerName(SASL_LISTENER));
    }

    /** As {@link #consume}, through the SASL listener with the given consumer security properties. */
    public List<ConsumerRecord<byte[], byte[]>> consumeOverSasl(String topic, int expectedCount, Duration timeout,
                                                                Map<String, String> securityProps) {
        return TopicReader.consume(saslBootstrapServers(), securityProps, topic, expectedCount, timeout);
    }

    private static EmbeddedKafka create(int brokers, Map<String, String> overrides, boolean isShared) {
        return create(brokers, overrides, Map.of(), isShared);
    }

    private static EmbeddedKafka create(int brokers, Map<String, String> overrides,
                                        Map<Integer, Map<String, String>> perBroker, boolean isShared) {
        return create(brokers, overrides, perBroker, isShared, Map.of());
    }

    private static EmbeddedKafka create(int brokers, Map<String, String> overrides,
                                        Map<Integer, Map<String, String>> perBroker, boolean isShared,
                                        Map<String, Short> featureLevels) {
        if (brokers < 1) {
            throw new IllegalArgumentException("brokers must be at least 1 but was " + brokers);
        }
        long startNs = System.nanoTime();
        Path baseDirectory;
        try {
            baseDirectory = Files.createTempDirectory("courier-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes nodes = new TestKitNodes.Builder(productionBootstrapMetadata(featureLevels))
                    .setCombined(brokers == 1 && perBroker.isEmpty())
                    .setNumBrokerNodes(brokers)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(baseDirectory)
                    .setPerServerProperties(perBroker)
                    .build();
            if (!perBroker.isEmpty() && (!nodes.brokerListenerName().value().equals(DIRECT_LISTENER)
                    || !nodes.controllerListenerName().value().equals(CONTROLLER_LISTENER))) {
                throw new IllegalStateException("The test kit's listener names changed: " + nodes.brokerListenerName()
                        + ", " + nodes.controllerListenerName());
            }
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            brokerDefaults(brokers).forEach(builder::setConfigProp);
            overrides.forEach(builder::setConfigProp);
            cluster = builder.build();
            formatQuietly(cluster);
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            closeQuietly(cluster);
            deleteRecursively(baseDirectory);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Could not start a " + brokers + "-broker Kafka cluster", e);
        }
        log.info("Started a {}-broker Kafka cluster at {} in {} ms", brokers, cluster.bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
        return new EmbeddedKafka(cluster, baseDirectory, isShared);
    }

    /**
     * The metadata version and feature levels ({@code transaction.version}, {@code group.version}, ...) that
     * {@code kafka-storage format} gives a new cluster of this broker release. The test kit would otherwise use the
     * newest, still unreleased metadata version; a producer must be tested against what users run.
     */
    private static BootstrapMetadata productionBootstrapMetadata(Map<String, Short> featureLevels) {
        MetadataVersion version = MetadataVersion.latestProduction();
        Map<String, Short> features = new LinkedHashMap<>();
        for (Feature feature : Feature.PRODUCTION_FEATURES) {
            features.put(feature.featureName(), feature.defaultLevel(version));
        }
        features.putAll(featureLevels);
        return BootstrapMetadata.fromVersions(version, features, "courier-embedded-kafka");
    }

    /**
     * Kafka's storage formatter prints to {@code System.out}; this swallows that chatter. Safe because clusters
     * start from one test thread at a time (surefire/failsafe run test classes sequentially).
     */
    private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8));
        try {
            cluster.format();
        } finally {
            System.setOut(out);
        }
    }

    /** Settings that make the broker behave like a released one and keep it small and quick on two cores. */
    private static Map<String, String> brokerDefaults(int brokers) {
        String internalReplication = Integer.toString(Math.min(brokers, 3));
        Map<String, String> props = new LinkedHashMap<>();
        // The test kit enables unreleased API and feature versions; a producer must be tested against released ones.
        props.put("unstable.api.versions.enable", "false");
        props.put("unstable.feature.versions.enable", "false");
        // A restarted broker must wait for its old registration's session to expire (DUPLICATE_BROKER_REGISTRATION);
        // the defaults (2 s heartbeat, 9 s session) make stopBroker/startBroker take about 10 s.
        props.put("broker.heartbeat.interval.ms", "500");
        props.put("broker.session.timeout.ms", "4000");
        props.put("num.network.threads", "1");
        props.put("num.io.threads", "2");
        props.put("background.threads", "2");
        props.put("num.recovery.threads.per.data.dir", "1");
        props.put("log.cleaner.threads", "1");
        props.put("auto.create.topics.enable", "false");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("offsets.topic.replication.factor", internalReplication);
        props.put("offsets.topic.num.partitions", "3");
        props.put("transaction.state.log.replication.factor", internalReplication);
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "3");
        props.put("share.coordinator.state.topic.replication.factor", internalReplication);
        props.put("share.coordinator.state.topic.min.isr", "1");
        return props;
    }

    /** Bootstrap servers of the brokers that are currently running, e.g. {@code localhost:40123}. */
    public String bootstrapServers() {
        synchronized (this) {
            if (stoppedBrokers.isEmpty()) {
                return cluster.bootstrapServers();
            }
            return cluster.brokers().entrySet().stream()
                    .filter(e -> !stoppedBrokers.contains(e.getKey()))
                    .map(e -> "localhost:" + e.getValue().boundPort(cluster.nodes().brokerListenerName()))
                    .collect(Collectors.joining(","));
        }
    }

    /** Ids of the brokers of this cluster, running or not. */
    public Set<Integer> brokerIds() {
        return new TreeSet<>(cluster.brokers().keySet());
    }

    /** Creates a topic and waits until every partition's leader serves it. */
    public void createTopic(String name, int partitions, int replicationFactor) {
        createTopic(name, partitions, replicationFactor, Map.of());
    }

    /**
     * Creates a topic with topic-level {@code configs} and returns once every running broker knows every
     * partition's leader and each leader answers a ListOffsets request for it, so tests can produce at once.
     */
    public void createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs) {
        long startNs = System.nanoTime();
        NewTopic topic = new NewTopic(name, partitions, (short) replicationFactor).configs(configs);
        try {
            admin().createTopics(List.of(topic)).all().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not create topic " + name, unwrap(e));
        }
        awaitLeaders(name, partitions, replicationFactor);
        log.info("Created topic {} ({} partitions, RF {}) in {} ms", name, partitions, replicationFactor,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
    }

    /**
     * Waits until every partition of {@code topic} has a running leader that answers, e.g. after a broker stop or
     * start; when no broker is stopped it also waits until every ISR holds {@code replicationFactor} replicas.
     */
    public void awaitLeaders(String topic, int partitions, int replicationFactor) {
        await("leaders of " + topic)
                .atMost(READY_TIMEOUT)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20))
                .ignoreExceptions()
                .until(() -> metadataSettled(topic, partitions, replicationFactor) && leadersAnswer(topic, partitions));
    }

    /**
     * Gives each partition of {@code topic} back to its preferred leader (the first replica), as Kafka's periodic
     * leader rebalance does a few minutes after a broker returns, then waits as {@link #awaitLeaders} does. Partitions
     * whose preferred replica already leads, or is not in sync, keep their leader.
     */
    public void electPreferredLeaders(String topic, int partitions, int replicationFactor) {
        Set<TopicPartition> all = new TreeSet<>(java.util.Comparator.comparingInt(TopicPartition::partition));
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(topic, p));
        }
        Map<TopicPartition, Optional<Throwable>> results;
        try {
            results = admin().electLeaders(ElectionType.PREFERRED, all).partitions()
                    .get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not elect the preferred leaders of " + topic, unwrap(e));
        }
        results.forEach((partition, error) -> error
                .filter(e -> !(e instanceof ElectionNotNeededException))
                .ifPresent(e -> log.info("Preferred leader election for {} did not happen: {}", partition, e.toString())));
        Set<Integer> elected = new TreeSet<>();
        results.forEach((partition, error) -> {
            if (error.isEmpty()) {
                elected.add(partition.partition());
            }
        });
        awaitLeaders(topic, partitions, replicationFactor);
        // The controller has decided; the brokers' metadata caches learn it a moment later.
        await("preferred leaders of " + topic + " partitions " + elected + " seen by every broker")
                .atMost(READY_TIMEOUT)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20))
                .ignoreExceptions()
                .until(() -> preferredLeadersSeen(topic, elected));
    }

    /** True when every running broker sees each of {@code partitions} led by its first replica. */
    private boolean preferredLeadersSeen(String topic, Set<Integer> partitions) throws Exception {
        if (partitions.isEmpty()) {
            return true;
        }
        var description = admin().describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic);
        for (var partition : description.partitions()) {
            if (!partitions.contains(partition.partition())) {
                continue;
            }
            int preferred = partition.replicas().get(0).id();
            for (BrokerServer broker : runningBrokers().values()) {
                Optional<LeaderAndIsr> state = broker.metadataCache().getLeaderAndIsr(topic, partition.partition());
                if (state.isEmpty() || state.get().leader() != preferred) {
                    return false;
                }
            }
        }
        return true;
    }

    /** True when every running broker sees a live leader for every partition. */
    private boolean metadataSettled(String topic, int partitions, int replicationFactor) {
        Map<Integer, BrokerServer> running = runningBrokers();
        for (BrokerServer broker : running.values()) {
            for (int p = 0; p < partitions; p++) {
                Optional<LeaderAndIsr> state = broker.metadataCache().getLeaderAndIsr(topic, p);
                if (state.isEmpty() || !running.containsKey(state.get().leader())) {
                    return false;
                }
                if (stoppedBrokersSnapshot().isEmpty() && state.get().isr().size() < replicationFactor) {
                    return false;
                }
            }
        }
        return true;
    }

    /** ListOffsets is served only by a partition's leader, so success means each leader has taken over. */
    private boolean leadersAnswer(String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        admin().listOffsets(request).all().get(5, TimeUnit.SECONDS);
        return true;
    }

    /** A topic name no other test in this JVM uses: {@code prefix-<n>}. */
    public String uniqueTopic(String prefix) {
        String safe = prefix.replaceAll("[^a-zA-Z0-9-]", "-");
        return safe + "-" + TOPIC_COUNTER.incrementAndGet();
    }

    /**
     * Reads {@code topic} from the beginning of every partition with the official {@link KafkaConsumer} until
     * at least {@code expectedCount} records arrived (it may return more), or fails after {@code timeout}
     * listing what it did read. Uses no consumer group; reads uncommitted records.
     */
    public List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expectedCount, Duration timeout) {
        return TopicReader.consume(bootstrapServers(), topic, expectedCount, timeout);
    }

    /**
     * Reads every record of {@code topic} that exists when this is called (up to each partition's end offset at the
     * start) with the official consumer, in offset order per partition. Unlike {@link #consume} it never stops early,
     * so duplicates beyond an expected count are seen too.
     */
    public List<ConsumerRecord<byte[], byte[]>> consumeAll(String topic, Duration timeout) {
        return TopicReader.consumeAll(bootstrapServers(), topic, timeout);
    }

    /**
     * Shuts down broker {@code brokerId} (a controlled shutdown: the controller moves its leaderships away
     * first) and returns when it has stopped. Its log directories are kept for {@link #startBroker(int)}.
     */
    public void stopBroker(int brokerId) {
        synchronized (this) {
            BrokerServer broker = broker(brokerId);
            if (!stoppedBrokers.add(brokerId)) {
                throw new IllegalStateException("Broker " + brokerId + " is already stopped");
            }
            long startNs = System.nanoTime();
            broker.shutdown();
            broker.awaitShutdown();
            log.info("Stopped broker {} in {} ms", brokerId, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
        }
    }

    /**
     * Restarts a broker stopped with {@link #stopBroker(int)} and waits until it is registered and unfenced.
     * The broker comes back on a new port (the test kit's pre-bound socket is used only once), so
     * {@link #bootstrapServers()} changes; clients find the new address through metadata.
     */
    public void startBroker(int brokerId) {
        synchronized (this) {
            BrokerServer broker = broker(brokerId);
            if (!stoppedBrokers.contains(brokerId)) {
                throw new IllegalStateException("Broker " + brokerId + " is running");
            }
            long startNs = System.nanoTime();
            broker.startup();
            stoppedBrokers.remove(brokerId);
            // Only this broker: the test kit's waitForReadyBrokers waits for every broker, so it would never return
            // while another broker is stopped.
            await("broker " + brokerId + " registered and unfenced")
                    .atMost(READY_TIMEOUT)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> broker.lifecycleManager().state() == BrokerState.RUNNING);
            log.info("Started broker {} in {} ms", brokerId, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
        }
    }

    /** The broker currently leading {@code topic-partition}, as seen by a running broker. */
    public int leaderOf(String topic, int partition) {
        return runningBrokers().values().iterator().next().metadataCache()
                .getLeaderAndIsr(topic, partition)
                .map(LeaderAndIsr::leader)
                .orElseThrow(() -> new IllegalStateException("No leader known for " + topic + "-" + partition));
    }

    /**
     * The port broker {@code brokerId} is bound to for {@value #PROXIED_LISTENER} (cluster from
     * {@link #startBehindProxies}); it changes when the broker restarts.
     *
     * @throws IllegalStateException if the broker is stopped
     */
    public int proxiedListenerPort(int brokerId) {
        synchronized (this) {
            if (stoppedBrokers.contains(brokerId)) {
                throw new IllegalStateException("Broker " + brokerId + " is stopped");
            }
            return broker(brokerId).boundPort(new org.apache.kafka.common.network.ListenerName(PROXIED_LISTENER));
        }
    }

    /** The port broker 0 listens on for {@code listener}, one of those given to {@link #startWithListeners}. */
    public int listenerPort(String listener) {
        return broker(0).boundPort(new org.apache.kafka.common.network.ListenerName(listener));
    }

    /** An {@link Admin} client for this cluster, owned by the harness (do not close it). */
    public synchronized Admin admin() {
        if (closed) {
            throw new IllegalStateException("EmbeddedKafka is closed");
        }
        if (admin == null) {
            Map<String, Object> props = new HashMap<>();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
            props.put(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-admin");
            admin = Admin.create(props);
        }
        return admin;
    }

    private BrokerServer broker(int brokerId) {
        BrokerServer broker = cluster.brokers().get(brokerId);
        if (broker == null) {
            throw new IllegalArgumentException("No broker " + brokerId + "; brokers are " + brokerIds());
        }
        return broker;
    }

    private Map<Integer, BrokerServer> runningBrokers() {
        Set<Integer> stopped = stoppedBrokersSnapshot();
        Map<Integer, BrokerServer> running = new LinkedHashMap<>(cluster.brokers());
        running.keySet().removeAll(stopped);
        return running;
    }

    private synchronized Set<Integer> stoppedBrokersSnapshot() {
        return new TreeSet<>(stoppedBrokers);
    }

    /** Closes a cluster from {@link #start(int)}; does nothing on {@link #shared()}, which closes at JVM exit. */
    @Override
    public void close() {
        if (isShared) {
            return;
        }
        shutdown();
    }

    private void shutdown() {
        Admin adminToClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            adminToClose = admin;
            admin = null;
        }
        long startNs = System.nanoTime();
        if (adminToClose != null) {
            adminToClose.close(Duration.ofSeconds(5));
        }
        closeQuietly(cluster);
        deleteRecursively(baseDirectory);
        log.info("Closed Kafka cluster in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
    }

    private static void closeQuietly(KafkaClusterTestKit cluster) {
        if (cluster == null) {
            return;
        }
        try {
            cluster.close();
        } catch (Exception e) {
            log.warn("Error closing the Kafka cluster", e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.warn("Could not delete {}", root, e);
        }
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    }
}
