package dev.courier.producer.internals.transaction;

import dev.courier.producer.errors.CourierException;
import dev.courier.producer.errors.TimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The outcome of one blocking transaction call (initTransactions, sendOffsetsToTransaction, commit,
 * abort): completed by the sender thread, awaited by the caller for at most {@code max.block.ms}. A
 * caller that timed out and calls the same method again waits on the same result.
 */
public final class TransactionResult {

    private final String operation;
    private final CompletableFuture<Void> future = new CompletableFuture<>();

    TransactionResult(String operation) {
        this.operation = operation;
    }

    void succeed() {
        future.complete(null);
    }

    void fail(RuntimeException error) {
        future.completeExceptionally(error);
    }

    public boolean isDone() {
        return future.isDone();
    }

    /**
     * Waits for the outcome.
     *
     * @throws TimeoutException if it is not known within {@code timeoutMs}; the operation carries on
     * @throws RuntimeException the operation's own error
     */
    public void await(long timeoutMs) {
        try {
            future.get(Math.max(0, timeoutMs), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException(operation + " did not complete within " + timeoutMs
                    + " ms (max.block.ms); it carries on in the background: call it again to keep waiting");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CourierException("Interrupted while waiting for " + operation, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new CourierException(operation + " failed", cause);
        }
    }
}
