package dev.courier.producer.spring.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.courier.producer.CourierProducer;
import dev.courier.producer.ProducerConfig;
import dev.courier.producer.serialization.StringSerializer;
import dev.courier.producer.spring.ProducerTemplate;
import dev.courier.producer.spring.autoconfigure.CourierProducerAutoConfiguration;
import dev.courier.test.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.interceptor.TransactionAspectSupport;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The transactional template against a real broker, read back with the official consumer in read_committed
 * (and read_uncommitted, to show that aborted records were written and hidden, not never sent).
 */
class TransactionalTemplateIntegrationTests {

    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CourierProducerAutoConfiguration.class))
            .withPropertyValues("courier.producer.bootstrap-servers=" + kafka.bootstrapServers(),
                    "courier.producer.transaction-id-prefix=" + kafka.uniqueTopic("tx") + "-");

    @SuppressWarnings("unchecked")
    private static ProducerTemplate<String, String> template(ApplicationContext context) {
        return context.getBean(ProducerTemplate.class);
    }

    private static String topic(String prefix) {
        String topic = kafka.uniqueTopic(prefix);
        kafka.createTopic(topic, 1, 1);
        return topic;
    }

    @Test
    void executeInTransactionCommitsReturnsTheResultAbortsOnAnExceptionAndStaysUsable() {
        String topic = topic("execute");
        runner.run(context -> {
            ProducerTemplate<String, String> template = template(context);
            String result = template.executeInTransaction(operations -> {
                operations.send(topic, "k", "committed-1");
                operations.send(topic, "k", "committed-2");
                return "done";
            });
            assertThat(result).isEqualTo("done");

            IllegalArgumentException failure = new IllegalArgumentException("callback failed");
            assertThatThrownBy(() -> template.executeInTransaction(operations -> {
                operations.send(topic, "k", "aborted").join();
                throw failure;
            })).isSameAs(failure);

            template.executeInTransaction(operations -> operations.send(topic, "k", "committed-3"));

            assertThat(readCommitted(topic)).containsExactly("committed-1", "committed-2", "committed-3");
            assertThat(values(kafka.consumeAll(topic, Duration.ofSeconds(30)))).contains("aborted");
            // One producer served all three transactions: the aborted one did not cost a new producer.
            assertThat(context.getBean(TransactionalProducerPool.class).createdCount()).isEqualTo(1);
        });
    }

    @Test
    void sendingOutsideATransactionFailsNamingTheRemedy() {
        String topic = topic("outside");
        runner.run(context -> assertThatThrownBy(() -> template(context).send(topic, "k", "v"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("outside a transaction")
                .hasMessageContaining("courier.producer.allow-non-transactional=true"));
    }

    @Test
    void sendingOutsideATransactionUsesThePlainProducerWhenAllowed() {
        String topic = topic("allowed");
        runner.withPropertyValues("courier.producer.allow-non-transactional=true").run(context -> {
            template(context).send(topic, "k", "plain").join();
            assertThat(readCommitted(topic)).containsExactly("plain");
            assertThat(context.getBean(TransactionalProducerPool.class).createdCount()).isZero();
        });
    }

    @Test
    void transactionalMethodsCommitAndRollBackOnExceptionsAndOnSetRollbackOnly() {
        String topic = topic("annotated");
        runner.withUserConfiguration(AnnotatedService.Config.class).run(context -> {
            AnnotatedService service = context.getBean(AnnotatedService.class);
            service.send(topic, "committed-1", Outcome.COMMIT);
            assertThatThrownBy(() -> service.send(topic, "thrown", Outcome.THROW))
                    .isInstanceOf(IllegalStateException.class).hasMessage("rolled back");
            service.send(topic, "rollback-only", Outcome.ROLLBACK_ONLY);
            service.send(topic, "committed-2", Outcome.COMMIT);

            assertThat(readCommitted(topic)).containsExactly("committed-1", "committed-2");
            assertThat(values(kafka.consumeAll(topic, Duration.ofSeconds(30))))
                    .contains("thrown", "rollback-only");
        });
    }

    @Test
    void aTransactionTemplateWithTheCourierManagerSuspendsTheOuterTransactionForRequiresNew() {
        String topic = topic("requires-new");
        runner.run(context -> {
            ProducerTemplate<String, String> template = template(context);
            CourierTransactionManager manager = context.getBean(CourierTransactionManager.class);
            TransactionTemplate outer = new TransactionTemplate(manager);
            TransactionTemplate inner = new TransactionTemplate(manager);
            inner.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
            outer.executeWithoutResult(status -> {
                template.send(topic, "k", "outer-before");
                inner.executeWithoutResult(innerStatus -> {
                    template.send(topic, "k", "inner-rolled-back").join();
                    innerStatus.setRollbackOnly();
                });
                template.send(topic, "k", "outer-after");
            });
            assertThat(readCommitted(topic)).containsExactly("outer-before", "outer-after");
            assertThat(values(kafka.consumeAll(topic, Duration.ofSeconds(30)))).contains("inner-rolled-back");
            // The inner transaction needed a producer of its own while the outer one was open.
            assertThat(context.getBean(TransactionalProducerPool.class).createdCount()).isEqualTo(2);
        });
    }

    @Test
    void aFencedProducerIsReplacedAndTheNextTransactionCommits() {
        String topic = topic("fenced");
        String prefix = kafka.uniqueTopic("fenced-tx") + "-";
        runner.withPropertyValues("courier.producer.transaction-id-prefix=" + prefix,
                "courier.producer.transaction-pool-size=1").run(context -> {
            ProducerTemplate<String, String> template = template(context);
            TransactionalProducerPool<?, ?> pool = context.getBean(TransactionalProducerPool.class);
            template.executeInTransaction(operations -> operations.send(topic, "k", "before"));

            // A second producer with the pool's only id fences the pooled one.
            try (CourierProducer<String, String> fencer = new CourierProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                    ProducerConfig.TRANSACTIONAL_ID, prefix + "0"), new StringSerializer(), new StringSerializer())) {
                fencer.initTransactions();
            }
            assertThatThrownBy(() -> template.executeInTransaction(
                    operations -> operations.send(topic, "k", "zombie").join()))
                    .isInstanceOf(RuntimeException.class);

            template.executeInTransaction(operations -> operations.send(topic, "k", "after"));
            assertThat(pool.createdCount()).isEqualTo(2);
            assertThat(readCommitted(topic)).containsExactly("before", "after");
        });
    }

    @Test
    void concurrentTransactionsEachGetTheirOwnProducerAndAllCommit() throws Exception {
        String topic = topic("concurrent");
        int threads = 4;
        runner.withPropertyValues("courier.producer.transaction-pool-size=" + threads).run(context -> {
            ProducerTemplate<String, String> template = template(context);
            // Every transaction waits inside its callback until all are open: they overlap for sure.
            CyclicBarrier allOpen = new CyclicBarrier(threads);
            ExecutorService executor = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    futures.add(executor.submit(() -> template.executeInTransaction(operations -> {
                        operations.send(topic, "t" + thread, "from-" + thread + "-a");
                        awaitAll(allOpen);
                        operations.send(topic, "t" + thread, "from-" + thread + "-b");
                        return null;
                    })));
                }
                for (Future<?> future : futures) {
                    future.get(60, TimeUnit.SECONDS);
                }
            } finally {
                executor.shutdownNow();
            }
            assertThat(context.getBean(TransactionalProducerPool.class).createdCount()).isEqualTo(threads);
            assertThat(readCommitted(topic)).hasSize(2 * threads).containsExactlyInAnyOrder(
                    "from-0-a", "from-0-b", "from-1-a", "from-1-b", "from-2-a", "from-2-b", "from-3-a", "from-3-b");
        });
    }

    @Test
    void aProducerIdleForTheMaxAgeIsReplacedByANewlyInitialisedOne() {
        String topic = topic("max-age");
        // A zero max age replaces the producer before every transaction: deterministic, no waiting.
        runner.withPropertyValues("courier.producer.transaction-producer-max-age=0").run(context -> {
            ProducerTemplate<String, String> template = template(context);
            TransactionalProducerPool<?, ?> pool = context.getBean(TransactionalProducerPool.class);
            template.executeInTransaction(operations -> operations.send(topic, "k", "first"));
            template.executeInTransaction(operations -> operations.send(topic, "k", "second"));
            template.executeInTransaction(operations -> operations.send(topic, "k", "third"));
            assertThat(pool.createdCount()).isEqualTo(3);
            assertThat(readCommitted(topic)).containsExactly("first", "second", "third");
        });
    }

    @Test
    void aTransactionSynchronizedWithADatabaseTransactionCommitsOnlyWhenTheDatabaseDoes() {
        String topic = topic("jdbc");
        runner.withUserConfiguration(Database.class).run(context -> {
            ProducerTemplate<String, String> template = template(context);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            TransactionTemplate database = new TransactionTemplate(
                    context.getBean(DataSourceTransactionManager.class));

            database.executeWithoutResult(status -> {
                jdbc.update("insert into orders(id) values ('committed')");
                template.send(topic, "k", "committed");
            });
            database.executeWithoutResult(status -> {
                jdbc.update("insert into orders(id) values ('rolled-back')");
                template.send(topic, "k", "rolled-back").join();
                status.setRollbackOnly();
            });
            assertThatThrownBy(() -> database.executeWithoutResult(status -> {
                jdbc.update("insert into orders(id) values ('thrown')");
                template.send(topic, "k", "thrown").join();
                throw new IllegalStateException("database work failed");
            })).hasMessage("database work failed");
            database.executeWithoutResult(status -> template.send(topic, "k", "committed-2"));

            assertThat(jdbc.queryForList("select id from orders", String.class)).containsExactly("committed");
            assertThat(readCommitted(topic)).containsExactly("committed", "committed-2");
            assertThat(values(kafka.consumeAll(topic, Duration.ofSeconds(30)))).contains("rolled-back", "thrown");
            // Outside the database transaction the template is still refused: no transaction to join.
            assertThatThrownBy(() -> template.send(topic, "k", "outside")).isInstanceOf(IllegalStateException.class);
        });
    }

    private static void awaitAll(CyclicBarrier barrier) {
        try {
            barrier.await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).collect(Collectors.toList());
    }

    /**
     * Every committed record of the single-partition {@code topic}, once all its transactions have ended. A
     * commit returns before the coordinator has written the transaction markers, so first wait until the last
     * stable offset (the read_committed end) has caught up with the high watermark: then no transaction is open.
     */
    static List<String> readCommitted(String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        long end = await().atMost(Duration.ofSeconds(60)).until(
                () -> endOffset(partition, IsolationLevel.READ_COMMITTED),
                stable -> stable == endOffset(partition, IsolationLevel.READ_UNCOMMITTED));
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<String> values = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
                return consumer.position(partition, Duration.ofSeconds(30)) >= end;
            });
            return values;
        }
    }

    private static long endOffset(TopicPartition partition, IsolationLevel isolation) {
        try {
            return kafka.admin().listOffsets(Map.of(partition, OffsetSpec.latest()),
                    new ListOffsetsOptions(isolation)).partitionResult(partition).get(30, TimeUnit.SECONDS).offset();
        } catch (Exception e) {
            throw new IllegalStateException("Listing the end offset of " + partition + " failed", e);
        }
    }

    enum Outcome { COMMIT, THROW, ROLLBACK_ONLY }

    /** A service whose @Transactional method sends with the plain template. */
    static class AnnotatedService {

        private final ProducerTemplate<String, String> template;

        AnnotatedService(ProducerTemplate<String, String> template) {
            this.template = template;
        }

        @Transactional
        public void send(String topic, String value, Outcome outcome) {
            // Acknowledged before the rollback: the broker holds the record and read_committed must hide it.
            template.send(topic, "k", value).join();
            if (outcome == Outcome.THROW) {
                throw new IllegalStateException("rolled back");
            }
            if (outcome == Outcome.ROLLBACK_ONLY) {
                TransactionAspectSupport.currentTransactionStatus().setRollbackOnly();
            }
        }

        @Configuration(proxyBeanMethods = false)
        @EnableTransactionManagement
        static class Config {

            @Bean
            AnnotatedService annotatedService(ProducerTemplate<String, String> template) {
                return new AnnotatedService(template);
            }
        }
    }

    /** An in-memory H2 database with its own transaction manager; Courier's synchronizes with it. */
    @Configuration(proxyBeanMethods = false)
    static class Database {

        @Bean
        DataSource dataSource() {
            DriverManagerDataSource dataSource = new DriverManagerDataSource(
                    "jdbc:h2:mem:" + kafka.uniqueTopic("orders") + ";DB_CLOSE_DELAY=-1");
            new JdbcTemplate(dataSource).execute("create table orders(id varchar(32) primary key)");
            return dataSource;
        }

        @Bean
        DataSourceTransactionManager dataSourceTransactionManager(DataSource dataSource) {
            return new DataSourceTransactionManager(dataSource);
        }

        @Bean
        JdbcTemplate jdbcTemplate(DataSource dataSource) {
            return new JdbcTemplate(dataSource);
        }
    }

}
