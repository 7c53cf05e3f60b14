package dev.courier.producer.internals.security;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code sasl.jaas.config} entry, parsed as Kafka users write it:
 * {@code <LoginModule class> <flag> key=value key="quoted value" ... ;}. Values may be bare tokens or
 * double-quoted strings with backslash escapes. Exactly one login module is allowed, as in Kafka's client.
 *
 * <p>Option values often are secrets, so {@link #toString()} and every parse error name keys only, never values.
 */
public record JaasConfig(String loginModule, String flag, Map<String, String> options) {

    private static final java.util.Set<String> FLAGS = java.util.Set.of("required", "requisite", "sufficient",
            "optional");

    /** An option's value, or null. */
    public String option(String key) {
        return options.get(key);
    }

    /**
     * Parses the line.
     *
     * @throws IllegalArgumentException saying what is wrong, without quoting any value
     */
    public static JaasConfig parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("is empty; expected '<LoginModule> required key=\"value\" ...;'");
        }
        Tokenizer t = new Tokenizer(text);
        String module = t.word("a login module class name");
        String flag = t.word("a control flag (required, requisite, sufficient, optional)");
        if (!FLAGS.contains(flag.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("has control flag '" + flag
                    + "' after the login module; expected required, requisite, sufficient or optional");
        }
        Map<String, String> options = new LinkedHashMap<>();
        while (true) {
            t.skipSpace();
            if (t.atEnd()) {
                throw new IllegalArgumentException("does not end with ';'");
            }
            if (t.peek() == ';') {
                t.pos++;
                break;
            }
            String key = t.word("an option name");
            t.skipSpace();
            if (t.atEnd() || t.peek() != '=') {
                throw new IllegalArgumentException("has option '" + key + "' without '=value'");
            }
            t.pos++;
            t.skipSpace();
            String value = t.value(key);
            options.put(key, value);
        }
        t.skipSpace();
        if (!t.atEnd()) {
            throw new IllegalArgumentException("has more than one login module; a client uses exactly one");
        }
        return new JaasConfig(module, flag, Collections.unmodifiableMap(options));
    }

    @Override
    public String toString() {
        return "JaasConfig(" + loginModule + " " + flag + " options=" + options.keySet() + ")";
    }

    private static final class Tokenizer {
        private final String s;
        private int pos;

        Tokenizer(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        char peek() {
            return s.charAt(pos);
        }

        void skipSpace() {
            while (!atEnd()) {
                char c = peek();
                if (Character.isWhitespace(c)) {
                    pos++;
                } else if (c == '/' && pos + 1 < s.length() && s.charAt(pos + 1) == '*') { // comments, as JAAS allows
                    int end = s.indexOf("*/", pos + 2);
                    pos = end < 0 ? s.length() : end + 2;
                } else {
                    return;
                }
            }
        }

        /** A bare token: anything up to whitespace, '=', ';' or a quote. */
        String word(String what) {
            skipSpace();
            int start = pos;
            while (!atEnd()) {
                char c = peek();
                if (Character.isWhitespace(c) || c == '=' || c == ';' || c == '"') {
                    break;
                }
                pos++;
            }
            if (pos == start) {
                throw new IllegalArgumentException("is missing " + what + " at position " + start);
            }
            return s.substring(start, pos);
        }

        String value(String key) {
            if (atEnd()) {
                throw new IllegalArgumentException("has option '" + key + "' without a value");
            }
            if (peek() != '"') {
                return word("a value for option '" + key + "'");
            }
            pos++;
            StringBuilder out = new StringBuilder();
            while (true) {
                if (atEnd()) {
                    throw new IllegalArgumentException("has an unterminated quoted value for option '" + key + "'");
                }
                char c = s.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\') {
                    if (atEnd()) {
                        throw new IllegalArgumentException("has a dangling '\\' in option '" + key + "'");
                    }
                    char e = s.charAt(pos++);
                    switch (e) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'r' -> out.append('\r');
                        default -> out.append(e); // \" \\ and any other escaped character stand for themselves
                    }
                } else {
                    out.append(c);
                }
            }
        }
    }
}
