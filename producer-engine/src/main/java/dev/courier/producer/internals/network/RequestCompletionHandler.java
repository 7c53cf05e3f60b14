package dev.courier.producer.internals.network;

/** Called on the sender thread, inside {@link NetworkClient#poll}, when a request completes in any way. */
@FunctionalInterface
public interface RequestCompletionHandler {

    void onComplete(ClientResponse response);
}
