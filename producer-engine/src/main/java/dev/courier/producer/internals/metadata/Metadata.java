package dev.courier.producer.internals.metadata;

import dev.courier.producer.PartitionInfo;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.protocol.MetadataResponse;
import dev.courier.producer.internals.util.ExponentialBackoff;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread-safe holder of the current {@link Cluster} plus the topics of interest and the refresh
 * state. Caller threads add topics and read snapshots; the sender thread (through the network
 * client) asks when to refresh, builds requests and applies responses.
 *
 * <p>Locking: the snapshot ({@link #fetch()}), the per-topic errors and the update version are
 * volatile and read without locks. The topics of interest live in a concurrent map so that
 * {@link #add} on the send path only locks when a topic is new. Everything else (refresh state,
 * last seen leader epochs) is guarded by {@code this}. Listeners run on the updating thread after
 * the lock is released.
 *
 * <p>All times are monotonic milliseconds ({@code Time.monotonicMs()}).
 */
public final class Metadata implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Metadata.class);
    private static final long NEVER = Long.MIN_VALUE;

    private final ExponentialBackoff refreshBackoff;
    private final long metadataExpireMs;
    private final long topicExpiryMs;

    private volatile Cluster cluster = Cluster.empty();
    private volatile Map<String, Errors> topicErrors = Map.of();
    /** The last authentication failure, until metadata is fetched again; read by other threads. */
    private volatile RuntimeException authenticationFailure;
    private volatile int updateVersion;
    private volatile boolean closed;

    /** Topic of interest -> monotonic time after which it is dropped unless produced to again. */
    private final ConcurrentHashMap<String, Long> topics = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    // Guarded by this.
    private boolean needUpdate;
    private long lastRefreshMs = NEVER;
    private long lastSuccessfulRefreshMs = NEVER;
    private long currentBackoffMs;
    private int failedAttempts;
    /** Bumped by every update request; a response only satisfies requests made before its request was built. */
    private int requestVersion;
    private int requestVersionInFlight = -1;
    private List<InetSocketAddress> bootstrapAddresses = List.of();
    private final Map<TopicPartition, Integer> lastSeenLeaderEpochs = new HashMap<>();

    /**
     * @param refreshBackoffMs    minimum time between two refreshes (retry.backoff.ms)
     * @param refreshBackoffMaxMs cap of the backoff after consecutive failures (retry.backoff.max.ms)
     * @param metadataExpireMs    refresh at least this often even when nothing asks (metadata.max.age.ms)
     * @param topicExpiryMs       forget a topic not produced to for this long (metadata.max.idle.ms)
     */
    public Metadata(long refreshBackoffMs, long refreshBackoffMaxMs, long metadataExpireMs, long topicExpiryMs) {
        this.refreshBackoff = ExponentialBackoff.of(refreshBackoffMs, refreshBackoffMaxMs);
        this.metadataExpireMs = metadataExpireMs;
        this.topicExpiryMs = topicExpiryMs;
        this.currentBackoffMs = refreshBackoffMs;
    }

    /** Starts from the bootstrap addresses alone and asks for a first update. */
    public synchronized void bootstrap(List<InetSocketAddress> addresses) {
        this.bootstrapAddresses = List.copyOf(addresses);
        this.cluster = Cluster.bootstrap(bootstrapAddresses);
        this.needUpdate = true;
        this.requestVersion++;
        this.updateVersion++;
    }

    /**
     * Forgets the known brokers and goes back to the bootstrap addresses (REBOOTSTRAP): used when no
     * known broker can be reached or a broker says REBOOTSTRAP_REQUIRED.
     */
    public void rebootstrap() {
        synchronized (this) {
            log.info("Rebootstrapping with {}", bootstrapAddresses);
            this.cluster = Cluster.bootstrap(bootstrapAddresses);
            this.needUpdate = true;
            this.requestVersion++;
            this.updateVersion++;
        }
        notifyListeners();
    }

    /** The current snapshot; lock-free. */
    public Cluster fetch() {
        return cluster;
    }

    /**
     * Marks a topic as of interest (called for every send; refreshes its idle expiry). A topic new
     * to this producer asks for an update at once, without waiting for the refresh backoff.
     */
    public void add(String topic, long nowMs) {
        if (topics.put(topic, nowMs + topicExpiryMs) == null) {
            synchronized (this) {
                needUpdate = true;
                requestVersion++;
                lastRefreshMs = NEVER;
            }
        }
    }

    /** True when the topic is of interest (added and not yet expired). */
    public boolean containsTopic(String topic) {
        return topics.containsKey(topic);
    }

    /** Asks for a refresh as soon as the backoff allows. */
    public synchronized void requestUpdate() {
        needUpdate = true;
        requestVersion++;
    }

    /** Asks for a refresh because something about this topic looks stale (e.g. NOT_LEADER_OR_FOLLOWER). */
    public void requestUpdateForTopic(String topic) {
        requestUpdate();
    }

    public synchronized boolean updateRequested() {
        return needUpdate;
    }

    /**
     * Milliseconds until the next refresh should start: 0 when one is due now, otherwise the later of
     * the expiry of the current snapshot (or now, if an update was requested) and the end of the
     * refresh backoff.
     */
    public synchronized long timeToNextUpdate(long nowMs) {
        if (closed) {
            return Long.MAX_VALUE;
        }
        long timeToExpire = needUpdate || lastSuccessfulRefreshMs == NEVER
                ? 0 : Math.max(lastSuccessfulRefreshMs + metadataExpireMs - nowMs, 0);
        long timeToAllow = lastRefreshMs == NEVER ? 0 : Math.max(lastRefreshMs + currentBackoffMs - nowMs, 0);
        return Math.max(timeToExpire, timeToAllow);
    }

    /**
     * The topics to name in the next metadata request, dropping those idle for longer than
     * metadata.max.idle.ms. Called when the request is built; remembers which update requests the
     * coming response will answer.
     */
    public synchronized Set<String> topicsForRequest(long nowMs) {
        Iterator<Map.Entry<String, Long>> it = topics.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Long> entry = it.next();
            if (entry.getValue() <= nowMs) {
                log.debug("Topic {} was not produced to for {} ms; no longer fetching its metadata",
                        entry.getKey(), topicExpiryMs);
                it.remove();
            }
        }
        requestVersionInFlight = requestVersion;
        return new HashSet<>(topics.keySet());
    }

    /**
     * Applies a metadata response. A partition whose leader epoch is older than one already seen
     * keeps its previous state (a lagging broker answered) and another refresh is requested. Topic
     * errors are kept for {@link #topicError}; retriable ones (unknown topic, leader not available)
     * request another refresh after the backoff. A top-level REBOOTSTRAP_REQUIRED (Metadata v13)
     * rebootstraps; any other top-level error or an empty broker list counts as a failed update.
     */
    public void update(MetadataResponse response, long nowMs) {
        Errors topLevel = Errors.forCode(response.errorCode());
        if (topLevel == Errors.REBOOTSTRAP_REQUIRED) {
            rebootstrap();
            return;
        }
        if (topLevel != Errors.NONE || response.brokers().isEmpty()) {
            log.warn("Ignoring metadata response with error {} and {} brokers", topLevel, response.brokers().size());
            failedUpdate(nowMs);
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            apply(response, nowMs);
        }
        notifyListeners();
    }

    private void apply(MetadataResponse response, long nowMs) {
        Cluster previous = cluster;
        List<Node> nodes = new ArrayList<>(response.brokers().size());
        Map<Integer, Node> nodesById = new HashMap<>();
        for (MetadataResponse.Broker broker : response.brokers()) {
            Node node = new Node(broker.nodeId(), broker.host(), broker.port(), broker.rack());
            nodes.add(node);
            nodesById.put(node.id(), node);
        }
        Map<String, Errors> errors = new HashMap<>();
        Map<String, UUID> topicIds = new HashMap<>();
        List<Cluster.PartitionState> partitions = new ArrayList<>();
        Set<String> answered = new HashSet<>();
        boolean retry = false;

        for (MetadataResponse.TopicMetadata topic : response.topics()) {
            String name = topic.name();
            if (name == null) {
                continue;
            }
            answered.add(name);
            Errors topicError = Errors.forCode(topic.errorCode());
            if (topicError != Errors.NONE) {
                errors.put(name, topicError);
                retry |= topicError.isRetriable() || topicError.refreshesMetadata();
                continue;
            }
            UUID previousId = previous.topicId(name);
            boolean recreated = previousId != null && topic.topicId() != null && !previousId.equals(topic.topicId());
            if (topic.topicId() != null) {
                topicIds.put(name, topic.topicId());
            }
            for (MetadataResponse.PartitionMetadata p : topic.partitions()) {
                TopicPartition tp = new TopicPartition(name, p.partition());
                Integer lastSeen = recreated ? null : lastSeenLeaderEpochs.get(tp);
                if (p.leaderEpoch() >= 0 && lastSeen != null && p.leaderEpoch() < lastSeen) {
                    log.debug("Keeping {} at leader epoch {}: response has older epoch {}", tp, lastSeen, p.leaderEpoch());
                    Cluster.PartitionState kept = previous.partitionState(tp);
                    if (kept != null) {
                        partitions.add(kept);
                    }
                    retry = true;
                    continue;
                }
                if (p.leaderEpoch() >= 0) {
                    lastSeenLeaderEpochs.put(tp, p.leaderEpoch());
                }
                Errors partitionError = Errors.forCode(p.errorCode());
                int leader = p.leaderId();
                if (partitionError != Errors.NONE && partitionError != Errors.REPLICA_NOT_AVAILABLE) {
                    leader = -1;
                }
                if (leader < 0 || !nodesById.containsKey(leader)) {
                    retry = true;
                }
                partitions.add(new Cluster.PartitionState(
                        new PartitionInfo(name, p.partition(), leader, toList(p.replicas()), toList(p.isr())),
                        p.leaderEpoch()));
            }
        }
        for (String topic : topics.keySet()) {
            retry |= !answered.contains(topic);
        }
        lastSeenLeaderEpochs.keySet().removeIf(tp -> !answered.contains(tp.topic()) && !topics.containsKey(tp.topic()));

        this.cluster = Cluster.of(response.clusterId(), nodes, partitions, topicIds,
                nodesById.get(response.controllerId()));
        this.topicErrors = Map.copyOf(errors);
        this.authenticationFailure = null;
        this.needUpdate = retry || requestVersion != requestVersionInFlight;
        this.lastRefreshMs = nowMs;
        this.lastSuccessfulRefreshMs = nowMs;
        this.failedAttempts = 0;
        this.currentBackoffMs = refreshBackoff.backoffMs(0);
        this.updateVersion++;
    }

    /** A partition's leader as a produce response named it (KIP-951). */
    public record LeaderHint(int leaderId, int leaderEpoch) {
    }

    /**
     * Applies leaders named by a produce response (KIP-951), so that retries go to the new leader at once
     * instead of after a metadata round trip. A hint is taken only when its leader epoch is newer than
     * any seen for the partition and its node is known (from the cluster or from {@code endpoints}).
     *
     * @return the partitions whose leader changed
     */
    public Set<TopicPartition> updateLeaders(Map<TopicPartition, LeaderHint> hints, Collection<Node> endpoints) {
        Set<TopicPartition> changed = new HashSet<>();
        synchronized (this) {
            if (closed || hints.isEmpty()) {
                return changed;
            }
            Cluster current = cluster;
            Map<Integer, Node> added = new HashMap<>();
            List<Cluster.PartitionState> updated = new ArrayList<>();
            for (Map.Entry<TopicPartition, LeaderHint> entry : hints.entrySet()) {
                TopicPartition tp = entry.getKey();
                LeaderHint hint = entry.getValue();
                Cluster.PartitionState state = current.partitionState(tp);
                Integer lastSeen = lastSeenLeaderEpochs.get(tp);
                if (state == null || (lastSeen != null && hint.leaderEpoch() <= lastSeen)) {
                    continue;
                }
                Node leader = current.nodeById(hint.leaderId());
                if (leader == null) {
                    leader = added.get(hint.leaderId());
                }
                if (leader == null) {
                    for (Node endpoint : endpoints) {
                        if (endpoint.id() == hint.leaderId()) {
                            leader = endpoint;
                            added.put(endpoint.id(), endpoint);
                        }
                    }
                }
                if (leader == null) {
                    continue;
                }
                PartitionInfo info = state.info();
                updated.add(new Cluster.PartitionState(new PartitionInfo(info.topic(), info.partition(), leader.id(),
                        info.replicas(), info.inSyncReplicas()), hint.leaderEpoch()));
                lastSeenLeaderEpochs.put(tp, hint.leaderEpoch());
                if (info.leader() != leader.id()) {
                    changed.add(tp);
                }
            }
            if (updated.isEmpty()) {
                return changed;
            }
            cluster = current.withPartitions(updated, added.values());
            updateVersion++;
        }
        log.debug("New leaders from a produce response: {}", changed);
        notifyListeners();
        return changed;
    }

    /** A metadata request failed (disconnect, timeout, bad response): back off exponentially. */
    public synchronized void failedUpdate(long nowMs) {
        lastRefreshMs = nowMs;
        failedAttempts++;
        currentBackoffMs = refreshBackoff.backoffMs(failedAttempts);
    }

    /**
     * A connection could not authenticate: records waiting for metadata fail with this error instead
     * of waiting out max.block.ms. Cleared by the next successful update.
     */
    public void authenticationFailed(RuntimeException failure) {
        authenticationFailure = failure;
    }

    /** The authentication failure since the last successful update, or null. */
    public RuntimeException authenticationFailure() {
        return authenticationFailure;
    }

    /** The error the last response gave for this topic (e.g. UNKNOWN_TOPIC_OR_PARTITION), or null. */
    public Errors topicError(String topic) {
        return topicErrors.get(topic);
    }

    /** Incremented by every applied update (and by bootstrap/rebootstrap). */
    public int updateVersion() {
        return updateVersion;
    }

    /** Registers a callback run on the updating thread after every update; must be quick. */
    public void addListener(Runnable onUpdate) {
        listeners.add(onUpdate);
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private void notifyListeners() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.error("Metadata listener failed", e);
            }
        }
    }

    private static List<Integer> toList(int[] ids) {
        if (ids == null) {
            return List.of();
        }
        List<Integer> list = new ArrayList<>(ids.length);
        for (int id : ids) {
            list.add(id);
        }
        return list;
    }
}
