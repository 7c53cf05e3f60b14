package dev.courier.producer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka KRaft node (broker and controller) as a child JVM started from the test classpath, so that a test can
 * kill it uncleanly ({@code SIGKILL}) or freeze it ({@code SIGSTOP}), which an in-process broker cannot do. The node
 * keeps its ports, configuration and data directory across restarts; its output goes to {@code broker.log} in its
 * directory, kept after the test for diagnosis.
 *
 * <p>Not thread-safe: one test thread drives a node.
 */
final class BrokerProcess {

    private static final Logger log = LoggerFactory.getLogger(BrokerProcess.class);
    private static final long FORMAT_TIMEOUT_S = 120;
    private static final long EXIT_TIMEOUT_S = 30;
    private static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true");
    /** Brokers log at INFO to their file: the producer state and sequence errors are what a failed run needs. */
    private static final String LOGBACK = """
            <configuration>
              <statusListener class="ch.qos.logback.core.status.NopStatusListener"/>
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
              </appender>
              <logger name="org.apache.kafka.controller" level="WARN"/>
              <logger name="org.apache.kafka.raft" level="WARN"/>
              <logger name="kafka.coordinator" level="WARN"/>
              <root level="INFO"><appender-ref ref="OUT"/></root>
            </configuration>
            """;

    private final int id;
    private final Path directory;
    private final Path properties;
    private final Path logFile;
    private final String classpath;
    private Process process;
    private boolean paused;

    /** Writes the node's configuration into {@code directory}; nothing runs yet. */
    BrokerProcess(int id, Path directory, Map<String, String> config, String classpath) {
        this.id = id;
        this.directory = directory;
        this.properties = directory.resolve("server.properties");
        this.logFile = directory.resolve("broker.log");
        this.classpath = classpath;
        try {
            Files.createDirectories(directory);
            StringBuilder text = new StringBuilder();
            config.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
            Files.writeString(properties, text.toString(), StandardCharsets.UTF_8);
            Files.writeString(directory.resolve("logback.xml"), LOGBACK, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int id() {
        return id;
    }

    /** Formats the data directory as {@code kafka-storage format} does, in a child JVM; blocks until done. */
    void format(String clusterId) {
        List<String> command = javaCommand("kafka.tools.StorageTool");
        command.addAll(List.of("format", "-t", clusterId, "-c", properties.toString(), "--ignore-formatted"));
        Process formatter = launch(command, directory.resolve("format.log"));
        try {
            formatter.getOutputStream().close();
            if (!formatter.waitFor(FORMAT_TIMEOUT_S, TimeUnit.SECONDS)) {
                formatter.destroyForcibly();
                throw new IllegalStateException("Formatting node " + id + " took over " + FORMAT_TIMEOUT_S + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            formatter.destroyForcibly();
            throw new IllegalStateException("Interrupted formatting node " + id, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (formatter.exitValue() != 0) {
            throw new IllegalStateException("Formatting node " + id + " failed with exit code " + formatter.exitValue()
                    + "; see " + directory.resolve("format.log"));
        }
    }

    /** Starts the node; returns at once (readiness is the cluster's to judge). */
    void start() {
        if (isAlive()) {
            throw new IllegalStateException("Node " + id + " is already running as pid " + process.pid());
        }
        List<String> command = javaCommand(BrokerMain.class.getName());
        command.add(properties.toString());
        process = launch(command, logFile);
        paused = false;
        log.info("Started node {} as pid {}", id, process.pid());
    }

    /** SIGKILL: the node dies at once, with no controlled shutdown, no flush, no goodbye to the controller. */
    void kill() {
        Process victim = requireRunning();
        victim.destroyForcibly(); // SIGKILL on Linux
        awaitExit(victim);
        paused = false;
        log.info("Killed node {} (pid {}) with SIGKILL", id, victim.pid());
    }

    /** SIGSTOP: the node freezes with its sockets open, as under a long GC pause or a stalled VM. */
    void pause() {
        signal("STOP");
        paused = true;
    }

    /** SIGCONT: a paused node carries on where it stopped. */
    void resume() {
        signal("CONT");
        paused = false;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    boolean isPaused() {
        return paused;
    }

    Path logFile() {
        return logFile;
    }

    /** Kills the node if it runs; safe to call any number of times, from a shutdown hook too. */
    void destroy() {
        Process current = process;
        if (current != null && current.isAlive()) {
            current.destroyForcibly();
            awaitExit(current);
        }
    }

    private void signal(String signal) {
        Process target = requireRunning();
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(target.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(EXIT_TIMEOUT_S, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + target.pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted sending SIG" + signal + " to node " + id, e);
        }
        log.info("Sent SIG{} to node {} (pid {})", signal, id, target.pid());
    }

    private Process requireRunning() {
        if (!isAlive()) {
            throw new IllegalStateException("Node " + id + " is not running");
        }
        return process;
    }

    private static void awaitExit(Process process) {
        try {
            if (!process.waitFor(EXIT_TIMEOUT_S, TimeUnit.SECONDS)) {
                throw new IllegalStateException("pid " + process.pid() + " did not die within " + EXIT_TIMEOUT_S + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted waiting for pid " + process.pid() + " to exit", e);
        }
    }

    private List<String> javaCommand(String mainClass) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-Dlogback.configurationFile=" + directory.resolve("logback.xml"));
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        return command;
    }

    /** Standard input stays a pipe the test JVM holds open: {@link BrokerMain} dies when it closes. */
    private static Process launch(List<String> command, Path output) {
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + command.get(command.size() - 1), e);
        }
    }
}
