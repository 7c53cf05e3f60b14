package dev.courier.benchmarks.perf;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A transactional producer of either kind, opened (and {@code initTransactions()}-ed) for one round of the
 * transactions mode ({@link TransactionPerf}): a {@link ClientSession} with the same settings for both, plus
 * {@code transactional.id} and {@code transaction.timeout.ms}, and the transaction calls on top.
 */
final class TransactionSession extends MeasuredSession {

    private final ClientSession session;
    private final Runnable begin;
    private final Runnable commit;

    private TransactionSession(ClientSession session, Runnable begin, Runnable commit) {
        super(session.clientId);
        this.session = session;
        this.begin = begin;
        this.commit = commit;
    }

    static TransactionSession open(ClientKind kind, String bootstrapServers, Map<String, Object> settings,
                                   String clientId, int transactionTimeoutMs) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put("transactional.id", clientId);
        config.put("transaction.timeout.ms", String.valueOf(transactionTimeoutMs));
        ClientSession session = ClientSession.open(kind, bootstrapServers, config, clientId);
        try {
            if (session instanceof ClientSession.Courier courier) {
                courier.producer().initTransactions();
                return new TransactionSession(session, courier.producer()::beginTransaction,
                        courier.producer()::commitTransaction);
            }
            ClientSession.Kafka kafka = (ClientSession.Kafka) session;
            kafka.producer().initTransactions();
            return new TransactionSession(session, kafka.producer()::beginTransaction,
                    kafka.producer()::commitTransaction);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    void beginTransaction() {
        begin.run();
    }

    /** Flushes and commits; returns once every record of the transaction is acknowledged and the commit done. */
    void commitTransaction() {
        commit.run();
    }

    @Override
    List<String> threadNamePrefixes() {
        return session.threadNamePrefixes();
    }

    @Override
    int partitionsFor(String topic) {
        return session.partitionsFor(topic);
    }

    @Override
    void prepare(String topic, byte[][] values) {
        session.prepare(topic, values);
    }

    @Override
    void send(int index, Ack ack) {
        session.send(index, ack);
    }

    @Override
    public void close() {
        session.close();
    }
}
