package dev.courier.producer;

import java.util.List;

/**
 * One partition of a topic as the producer's metadata describes it.
 *
 * @param topic           topic name
 * @param partition       partition index
 * @param leader          node id of the leader, or -1 when the partition has no leader
 * @param replicas        node ids of all replicas
 * @param inSyncReplicas  node ids of the in-sync replicas
 */
public record PartitionInfo(String topic, int partition, int leader, List<Integer> replicas,
                            List<Integer> inSyncReplicas) {

    public PartitionInfo {
        replicas = List.copyOf(replicas);
        inSyncReplicas = List.copyOf(inSyncReplicas);
    }
}
