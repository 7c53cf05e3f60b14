package dev.courier.producer.internals.security;

import java.util.Objects;

/**
 * A secret configuration value (a password or private key material). Its {@link #toString()} never shows the
 * value, so it can sit in settings that are logged or printed in an exception without leaking.
 */
public final class Password {

    private static final String HIDDEN = "[hidden]";

    private final String value;

    public Password(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** The secret itself; hand it only to the JDK API that needs it. */
    public String value() {
        return value;
    }

    public char[] chars() {
        return value.toCharArray();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Password p && p.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return HIDDEN;
    }
}
