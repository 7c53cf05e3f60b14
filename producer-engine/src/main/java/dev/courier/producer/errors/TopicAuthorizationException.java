package dev.courier.producer.errors;

/** The client may not write to (or describe) the topic: TOPIC_AUTHORIZATION_FAILED (29). */
public class TopicAuthorizationException extends AuthorizationException {

    public TopicAuthorizationException(String message) {
        super(message);
    }
}
