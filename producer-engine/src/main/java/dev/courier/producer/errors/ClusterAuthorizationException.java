package dev.courier.producer.errors;

/**
 * The client lacks a cluster-level permission, e.g. IDEMPOTENT_WRITE on brokers older than 2.8:
 * CLUSTER_AUTHORIZATION_FAILED (31).
 */
public class ClusterAuthorizationException extends AuthorizationException {

    public ClusterAuthorizationException(String message) {
        super(message);
    }
}
