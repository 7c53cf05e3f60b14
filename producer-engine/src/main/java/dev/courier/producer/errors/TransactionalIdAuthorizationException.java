package dev.courier.producer.errors;

/** The client may not use its transactional.id: TRANSACTIONAL_ID_AUTHORIZATION_FAILED (53). */
public class TransactionalIdAuthorizationException extends AuthorizationException {

    public TransactionalIdAuthorizationException(String message) {
        super(message);
    }
}
