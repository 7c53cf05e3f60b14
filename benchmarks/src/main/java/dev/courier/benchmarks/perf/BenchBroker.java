package dev.courier.benchmarks.perf;

import dev.courier.benchmarks.standin.StandInBroker;
import dev.courier.producer.testing.EmbeddedKafka;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/** Where the benchmark sends: the in-process Kafka broker, the loopback stand-in, or an external cluster. */
interface BenchBroker extends AutoCloseable {

    String bootstrapServers();

    /** One line for the report: what the broker was. */
    String description();

    void createTopic(String name, int partitions);

    /** Frees a topic's storage once a round is over; a no-op where nothing is stored. */
    void deleteTopic(String name);

    @Override
    void close();

    static BenchBroker embedded() {
        EmbeddedKafka kafka = EmbeddedKafka.start(1);
        return new BenchBroker() {
            @Override
            public String bootstrapServers() {
                return kafka.bootstrapServers();
            }

            @Override
            public String description() {
                return "Apache Kafka 4.2 KRaft broker in the same JVM (one broker, replication factor 1), "
                        + "sharing the CPU with both clients";
            }

            @Override
            public void createTopic(String name, int partitions) {
                kafka.createTopic(name, partitions, 1);
            }

            @Override
            public void deleteTopic(String name) {
                deleteQuietly(kafka.admin(), name);
            }

            @Override
            public void close() {
                kafka.close();
            }
        };
    }

    static BenchBroker standIn(int partitions) throws IOException {
        StandInBroker standIn = StandInBroker.start(partitions);
        return new BenchBroker() {
            @Override
            public String bootstrapServers() {
                return standIn.bootstrapServers();
            }

            @Override
            public String description() {
                return "broker stand-in on loopback in the same JVM (acknowledges produce requests without storing "
                        + "them): measures the clients in isolation";
            }

            @Override
            public void createTopic(String name, int partitions) {
                // every topic exists, with the stand-in's partition count
            }

            @Override
            public void deleteTopic(String name) {
                // nothing stored
            }

            @Override
            public void close() {
                standIn.close();
            }
        };
    }

    static BenchBroker external(String bootstrapServers) {
        Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers));
        return new BenchBroker() {
            @Override
            public String bootstrapServers() {
                return bootstrapServers;
            }

            @Override
            public String description() {
                return "external cluster at " + bootstrapServers;
            }

            @Override
            public void createTopic(String name, int partitions) {
                try {
                    admin.createTopics(List.of(new NewTopic(name, partitions, (short) -1))).all()
                            .get(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted creating " + name, e);
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    throw new IllegalStateException("could not create topic " + name, e);
                }
            }

            @Override
            public void deleteTopic(String name) {
                deleteQuietly(admin, name);
            }

            @Override
            public void close() {
                admin.close();
            }
        };
    }

    private static void deleteQuietly(Admin admin, String name) {
        try {
            admin.deleteTopics(List.of(name)).all().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            org.slf4j.LoggerFactory.getLogger(BenchBroker.class).warn("could not delete topic {}", name, e);
        }
    }
}
