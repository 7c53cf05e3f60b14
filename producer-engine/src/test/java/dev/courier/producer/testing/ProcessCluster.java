package dev.courier.producer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import dev.courier.test.internals.TopicReader;
import dev.courier.test.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.awaitility.Awaitility.await;

/**
 * A Kafka KRaft cluster whose nodes are separate JVM processes ({@link BrokerProcess}), each broker and controller
 * at once (a three-voter quorum on three nodes), on fixed loopback ports chosen at start. Unlike
 * {@link EmbeddedKafka} it can kill a node with {@code SIGKILL}, freeze it with {@code SIGSTOP}, and restart it on
 * the same ports and data.
 *
 * <p>Every node dies with the test JVM: {@link #close()}, a shutdown hook, and, should the test JVM itself be
 * killed, each node's {@link BrokerMain} watchdog (which cannot run in a node frozen by {@code SIGSTOP} at that
 * moment: such a node stays frozen until killed by hand). Node directories (with each node's {@code broker.log}) are kept
 * under {@code target/process-cluster-*} for diagnosis; their data directories are deleted on close.
 *
 * <p>Thread safety: driven by one test thread.
 */
public final class ProcessCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProcessCluster.class);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    private static final String DATA = "data";

    private final Path directory;
    private final List<BrokerProcess> nodes;
    private final List<Integer> brokerPorts;
    private final Admin admin;
    private final Thread shutdownHook;

    private ProcessCluster(Path directory, List<BrokerProcess> nodes, List<Integer> brokerPorts) {
        this.directory = directory;
        this.nodes = nodes;
        this.brokerPorts = brokerPorts;
        this.shutdownHook = new Thread(this::destroyAll, "process-cluster-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        this.admin = Admin.create(props);
    }

    /**
     * Formats and starts {@code size} nodes, {@code brokerConfigs} overriding the defaults, and returns once every
     * broker is registered and unfenced.
     */
    public static ProcessCluster start(int size, Map<String, String> brokerConfigs) {
        long startNs = System.nanoTime();
        Path directory;
        try {
            Files.createDirectories(Path.of("target"));
            directory = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "process-cluster-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Integer> brokerPorts = freePorts(size);
        List<Integer> controllerPorts = freePorts(size);
        String voters = IntStream.range(0, size)
                .mapToObj(id -> id + "@127.0.0.1:" + controllerPorts.get(id))
                .collect(Collectors.joining(","));
        String classpath = System.getProperty("java.class.path");
        List<BrokerProcess> nodes = new ArrayList<>();
        for (int id = 0; id < size; id++) {
            Map<String, String> config = defaults(size);
            config.put("node.id", Integer.toString(id));
            config.put("controller.quorum.voters", voters);
            config.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPorts.get(id)
                    + ",CONTROLLER://127.0.0.1:" + controllerPorts.get(id));
            config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPorts.get(id));
            Path nodeDirectory = directory.resolve("node-" + id);
            config.put("log.dirs", nodeDirectory.resolve(DATA).toString());
            config.putAll(brokerConfigs);
            nodes.add(new BrokerProcess(id, nodeDirectory, config, classpath));
        }
        ProcessCluster cluster = new ProcessCluster(directory, nodes, brokerPorts);
        try {
            String clusterId = Uuid.randomUuid().toString();
            nodes.parallelStream().forEach(node -> node.format(clusterId));
            nodes.forEach(BrokerProcess::start);
            cluster.awaitBrokers();
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        log.info("Started a {}-node process cluster at {} in {} ms (logs in {})", size, cluster.bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs), directory);
        return cluster;
    }

    /** Small and quick on two cores; fenced within seconds of going silent, leaders given back within seconds. */
    private static Map<String, String> defaults(int size) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("unstable.api.versions.enable", "false");
        config.put("unstable.feature.versions.enable", "false");
        config.put("broker.heartbeat.interval.ms", "500");
        config.put("broker.session.timeout.ms", "4000");
        config.put("auto.leader.rebalance.enable", "true");
        config.put("leader.imbalance.check.interval.seconds", "5");
        config.put("num.network.threads", "1");
        config.put("num.io.threads", "2");
        config.put("background.threads", "2");
        config.put("num.recovery.threads.per.data.dir", "1");
        config.put("log.cleaner.threads", "1");
        config.put("auto.create.topics.enable", "false");
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("offsets.topic.replication.factor", Integer.toString(Math.min(size, 3)));
        config.put("offsets.topic.num.partitions", "3");
        config.put("transaction.state.log.replication.factor", Integer.toString(Math.min(size, 3)));
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "3");
        config.put("share.coordinator.state.topic.replication.factor", Integer.toString(Math.min(size, 3)));
        config.put("share.coordinator.state.topic.min.isr", "1");
        return config;
    }

    /** Loopback ports free right now; the nodes bind them a moment later (nothing else on loopback races for them). */
    private static List<Integer> freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // nothing to do
                }
            }
        }
    }

    /** Every node's client listener, running or not, e.g. {@code 127.0.0.1:40123,127.0.0.1:40125}. */
    public String bootstrapServers() {
        return brokerPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    public int size() {
        return nodes.size();
    }

    /** SIGKILL to node {@code id}. */
    public void kill(int id) {
        nodes.get(id).kill();
    }

    /** SIGSTOP to node {@code id}. */
    public void pause(int id) {
        nodes.get(id).pause();
    }

    /** SIGCONT to node {@code id}. */
    public void resume(int id) {
        nodes.get(id).resume();
    }

    /** Starts a killed node again, on its ports and data directory; returns at once. */
    public void restart(int id) {
        nodes.get(id).start();
    }

    /** Creates a topic and waits until it is {@linkplain #awaitHealthy healthy}. */
    public void createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs) {
        NewTopic topic = new NewTopic(name, partitions, (short) replicationFactor).configs(configs);
        await("topic " + name + " created").atMost(READY_TIMEOUT).ignoreExceptions().until(() -> {
            admin.createTopics(List.of(topic)).all().get(10, TimeUnit.SECONDS);
            return true;
        });
        awaitHealthy(name);
    }

    /**
     * Waits until every node runs, every broker is registered and unfenced, and every partition of {@code topic}
     * has all its replicas in sync and is led by its preferred replica (the brokers give leadership back within
     * seconds), so that each node leads some partitions when the next fault strikes.
     */
    public void awaitHealthy(String topic) {
        for (BrokerProcess node : nodes) {
            if (!node.isAlive() || node.isPaused()) {
                throw new IllegalStateException("Node " + node.id() + " is down or paused");
            }
        }
        await("every broker of " + bootstrapServers() + " up and every partition of " + topic + " fully in sync")
                .atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> brokersUp() && inSyncAndPreferred(topic));
    }

    /**
     * Waits until the controller has fenced node {@code id} (its broker session expired), so that its leaderships
     * have moved and it has left every ISR: a later {@link #awaitHealthy} then means it came back, not that nobody
     * noticed it was gone.
     */
    public void awaitFenced(int id) {
        await("node " + id + " fenced").atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream()
                        .noneMatch(node -> node.id() == id));
    }

    private void awaitBrokers() {
        await("every broker of " + bootstrapServers() + " up").atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(this::brokersUp);
    }

    private boolean brokersUp() throws Exception {
        return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == nodes.size();
    }

    private boolean inSyncAndPreferred(String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(5, TimeUnit.SECONDS).get(topic);
        for (TopicPartitionInfo partition : description.partitions()) {
            if (partition.leader() == null || partition.isr().size() < partition.replicas().size()
                    || partition.leader().id() != partition.replicas().get(0).id()) {
                return false;
            }
        }
        return true;
    }

    /** The node leading each partition of {@code topic}, by partition. */
    public Map<Integer, Integer> leaders(String topic) {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(topic);
            Map<Integer, Integer> leaders = new LinkedHashMap<>();
            description.partitions().forEach(p -> leaders.put(p.partition(), p.leader() == null ? -1 : p.leader().id()));
            return leaders;
        } catch (Exception e) {
            throw new IllegalStateException("Could not describe " + topic, e);
        }
    }

    /** Every record of {@code topic} up to its end offsets, read with the official consumer. */
    public List<ConsumerRecord<byte[], byte[]>> consumeAll(String topic, Duration timeout) {
        return TopicReader.consumeAll(bootstrapServers(), topic, timeout);
    }

    /** Where the nodes' logs are. */
    public Path directory() {
        return directory;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        destroyAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and runs the hook itself
        }
        for (int id = 0; id < nodes.size(); id++) {
            deleteRecursively(directory.resolve("node-" + id).resolve(DATA));
        }
        log.info("Process cluster stopped; node logs in {}", directory);
    }

    private void destroyAll() {
        nodes.forEach(BrokerProcess::destroy);
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            log.warn("Could not delete {}", root, e);
        }
    }
}
