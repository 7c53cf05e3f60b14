package dev.courier.producer.internals.transaction;

/**
 * The transactional producer's states. The user's calls move it between READY, IN_TRANSACTION,
 * COMMITTING and ABORTING; errors move it to ABORTABLE_ERROR (abort, and carry on) or FATAL_ERROR
 * (close the producer).
 */
public enum TransactionState {
    UNINITIALIZED,
    INITIALIZING,
    READY,
    IN_TRANSACTION,
    COMMITTING,
    ABORTING,
    ABORTABLE_ERROR,
    FATAL_ERROR
}
