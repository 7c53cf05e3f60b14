package dev.courier.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.awaitility.Awaitility.await;

/**
 * One Apache Kafka release as a single-node cluster of separate JVM processes, started with {@code java -cp} from
 * that release's runtime classpath (resolved from Maven Central into {@code compat/target/compat/<version>/} by the
 * {@code kafka-<version>} modules). Releases before 3.0 run in ZooKeeper mode, with a ZooKeeper process of the
 * classpath's own version beside the broker; later ones run in KRaft combined mode after formatting their storage
 * as {@code kafka-storage format} does.
 *
 * <p>Each process runs under {@code sh}, which kills it when its standard input (a pipe the test JVM holds) closes,
 * so that a killed test JVM leaves no broker behind. Output goes to {@code *.log} files in the node directory under
 * {@code target/compat-run/}, kept for diagnosis.
 *
 * <p>Not thread-safe: one test thread drives it.
 */
final class ReleaseBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReleaseBroker.class);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    private static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true");
    /**
     * Kills the child JVM ("$@") when standard input ends, i.e. when the test JVM goes in any way. (sh gives
     * background jobs /dev/null as input, so the watchdog reads the pipe through descriptor 3.)
     */
    private static final String WATCHDOG = "exec 3<&0; \"$@\" </dev/null & child=$!; "
            + "(cat <&3 >/dev/null; kill -9 $child 2>/dev/null) & wait $child";
    private static final String LOG4J = """
            log4j.rootLogger=INFO, stdout
            log4j.appender.stdout=org.apache.log4j.ConsoleAppender
            log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
            log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
            """;

    private final String version;
    private final Path classpath;
    private final Path directory;
    private final int port;
    private final List<Process> processes = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::destroyAll, "release-broker-shutdown");

    private ReleaseBroker(String version, Path classpath, Path directory) {
        this.version = version;
        this.classpath = classpath;
        this.directory = directory;
        this.port = freePort();
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts release {@code version} from the jars in {@code classpath} and returns once it serves clients. */
    static ReleaseBroker start(String version, Path classpath) {
        if (!Files.isDirectory(classpath)) {
            throw new IllegalStateException("No broker classpath for Kafka " + version + " at " + classpath
                    + ": build the compat profile from the root (./mvnw -Pcompat ...), which resolves it");
        }
        Path directory;
        try {
            Path runs = Files.createDirectories(Path.of("target", "compat-run").toAbsolutePath());
            directory = Files.createTempDirectory(runs, "kafka-" + version + "-");
            Files.writeString(directory.resolve("log4j.properties"), LOG4J, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ReleaseBroker broker = new ReleaseBroker(version, classpath, directory);
        try {
            broker.launch();
            broker.awaitReady();
        } catch (RuntimeException | Error e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** ZooKeeper mode for 2.x; KRaft for 3.x on (3.x still supports ZooKeeper, but KRaft is its production mode). */
    boolean zookeeperMode() {
        return version.startsWith("2.");
    }

    String version() {
        return version;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /**
     * Creates a topic with replication factor 1 and returns once every partition is live on the broker: its
     * metadata may name the leader a moment before the partition takes writes, and an {@code acks=0} request that
     * lands in that moment is dropped (the broker only closes the connection), so a round trip would lose it.
     * ListOffsets goes to the partition itself, so its success means the partition takes writes.
     */
    void createTopic(String name, int partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int partition = 0; partition < partitions; partition++) {
                latest.put(new TopicPartition(name, partition), OffsetSpec.latest());
            }
            await("topic " + name + " live on Kafka " + version).atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS).size() == partitions);
        } catch (Exception e) {
            throw new IllegalStateException("Could not create topic " + name + " on Kafka " + version, e);
        }
    }

    private void launch() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("log.dirs", directory.resolve("data").toString());
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + port);
        config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        config.put("auto.create.topics.enable", "false");
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("num.network.threads", "1");
        config.put("num.io.threads", "2");
        config.put("background.threads", "2");
        config.put("log.cleaner.threads", "1");
        if (zookeeperMode()) {
            int zookeeperPort = freePort();
            Path zookeeperConfig = write("zookeeper.properties", Map.of(
                    "dataDir", directory.resolve("zookeeper").toString(),
                    "clientPort", Integer.toString(zookeeperPort),
                    "clientPortAddress", "127.0.0.1",
                    "maxClientCnxns", "0",
                    "admin.enableServer", "false"));
            processes.add(run("zookeeper", "org.apache.zookeeper.server.quorum.QuorumPeerMain",
                    zookeeperConfig.toString()));
            config.put("broker.id", "0");
            config.put("zookeeper.connect", "127.0.0.1:" + zookeeperPort);
            config.put("zookeeper.connection.timeout.ms", "60000");
        } else {
            int controllerPort = freePort();
            config.put("process.roles", "broker,controller");
            config.put("node.id", "1");
            config.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            config.put("listeners", config.get("listeners") + ",CONTROLLER://127.0.0.1:" + controllerPort);
            config.put("controller.listener.names", "CONTROLLER");
            config.put("inter.broker.listener.name", "PLAINTEXT");
            config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        }
        Path serverConfig = write("server.properties", config);
        if (!zookeeperMode()) {
            format(serverConfig);
        }
        processes.add(run("broker", "kafka.Kafka", serverConfig.toString()));
    }

    /** {@code kafka-storage format}: KRaft refuses to start on an unformatted log directory. */
    private void format(Path serverConfig) {
        Process formatter = run("format", "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                "-c", serverConfig.toString());
        try {
            if (!formatter.waitFor(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("Formatting Kafka " + version + " storage took over 2 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted formatting Kafka " + version + " storage", e);
        } finally {
            destroy(formatter);
        }
        if (formatter.exitValue() != 0) {
            throw new IllegalStateException("Formatting Kafka " + version + " storage failed with exit code "
                    + formatter.exitValue() + "; see " + directory.resolve("format.log"));
        }
    }

    /** Ready when the admin client sees the broker in the cluster and a topic can be created on it. */
    private void awaitReady() {
        long startNs = System.nanoTime();
        await("Kafka " + version + " serving clients").atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsMatching(e -> !(e instanceof IllegalStateException))
                .until(() -> {
                    requireAlive();
                    try (Admin admin = admin()) {
                        return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
                    }
                });
        log.info("Kafka {} ({}) serving at {} after {} ms (logs in {})", version,
                zookeeperMode() ? "ZooKeeper mode" : "KRaft", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs), directory);
    }

    private void requireAlive() {
        for (Process process : processes) {
            if (!process.isAlive()) {
                throw new IllegalStateException("A Kafka " + version + " process exited with code "
                        + process.exitValue() + "; see the logs in " + directory);
            }
        }
    }

    private Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(props);
    }

    private Path write(String name, Map<String, String> properties) {
        StringBuilder text = new StringBuilder();
        properties.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        try {
            return Files.writeString(directory.resolve(name), text.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Process run(String name, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", WATCHDOG, "sh"));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-Dlog4j.configuration=file:" + directory.resolve("log4j.properties"));
        command.add("-cp");
        command.add(classpath.toAbsolutePath() + "/*");
        command.add(mainClass);
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve(name + ".log").toFile()))
                    .start();
            log.info("Started Kafka {} {} as pid {}", version, name, process.pid());
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + mainClass + " of Kafka " + version, e);
        }
    }

    /** Kills every process (broker before ZooKeeper); data directories stay with the logs for diagnosis. */
    @Override
    public void close() {
        destroyAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs destroyAll anyway
        }
    }

    private void destroyAll() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            destroy(processes.get(i));
        }
    }

    /**
     * The java child first (sh would not pass SIGKILL on), then the sh around it; closing its standard input ends
     * the watchdog even when sh has already exited (as after formatting).
     */
    private static void destroy(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // the pipe is gone already: so is the watchdog
        }
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
