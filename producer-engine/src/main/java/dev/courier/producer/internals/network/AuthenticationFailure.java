package dev.courier.producer.internals.network;

import dev.courier.producer.errors.AuthenticationException;
import java.io.IOException;

/**
 * How the {@link Selector} reports a connection lost because authentication failed (in
 * {@link Selector#disconnected()}, next to ordinary I/O errors), so that the client does not take it for a
 * disconnect worth retrying.
 */
final class AuthenticationFailure extends IOException {

    private final AuthenticationException exception;

    AuthenticationFailure(AuthenticationException exception) {
        super(exception.getMessage(), exception);
        this.exception = exception;
    }

    /** What the records waiting for this connection fail with. */
    AuthenticationException exception() {
        return exception;
    }
}
