package dev.courier.producer.internals.security;

/**
 * The little JSON the SASL code needs: quoting strings for unsecured tokens, and reading top-level
 * string and number members of a token endpoint's answer. Not a general JSON parser: nested values
 * are skipped, not read.
 */
final class Json {

    private Json() {
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /**
     * The top-level members of a JSON object whose values are strings or numbers, as text (numbers
     * as written); other members are skipped.
     *
     * @throws IllegalArgumentException when the text is not a JSON object
     */
    static java.util.Map<String, String> topLevelScalars(String text) {
        Reader r = new Reader(text);
        java.util.Map<String, String> members = new java.util.LinkedHashMap<>();
        r.expect('{');
        if (r.peekNonSpace() == '}') {
            return members;
        }
        while (true) {
            String key = r.string();
            r.expect(':');
            char c = r.peekNonSpace();
            if (c == '"') {
                members.put(key, r.string());
            } else if (c == '-' || Character.isDigit(c)) {
                members.put(key, r.number());
            } else {
                r.skipValue();
            }
            char next = r.nextNonSpace();
            if (next == '}') {
                return members;
            }
            if (next != ',') {
                throw new IllegalArgumentException("expected ',' or '}' at " + (r.pos - 1));
            }
        }
    }

    private static final class Reader {
        private final String s;
        private int pos;

        Reader(String s) {
            this.s = s;
        }

        char peekNonSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
            if (pos >= s.length()) {
                throw new IllegalArgumentException("unexpected end of JSON");
            }
            return s.charAt(pos);
        }

        char nextNonSpace() {
            char c = peekNonSpace();
            pos++;
            return c;
        }

        void expect(char c) {
            if (nextNonSpace() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + (pos - 1));
            }
        }

        String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\' && pos < s.length()) {
                    char e = s.charAt(pos++);
                    switch (e) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'r' -> out.append('\r');
                        case 'b' -> out.append('\b');
                        case 'f' -> out.append('\f');
                        case 'u' -> {
                            out.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                            pos += 4;
                        }
                        default -> out.append(e);
                    }
                } else {
                    out.append(c);
                }
            }
            throw new IllegalArgumentException("unterminated JSON string");
        }

        String number() {
            peekNonSpace();
            int start = pos;
            while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
            return s.substring(start, pos);
        }

        void skipValue() {
            char c = peekNonSpace();
            if (c == '"') {
                string();
                return;
            }
            if (c == '{' || c == '[') {
                int depth = 0;
                while (pos < s.length()) {
                    char d = s.charAt(pos);
                    if (d == '"') {
                        string();
                        continue;
                    }
                    pos++;
                    if (d == '{' || d == '[') {
                        depth++;
                    } else if (d == '}' || d == ']') {
                        if (--depth == 0) {
                            return;
                        }
                    }
                }
                throw new IllegalArgumentException("unterminated JSON value");
            }
            while (pos < s.length() && ",}] \t\r\n".indexOf(s.charAt(pos)) < 0) {
                pos++; // true, false, null
            }
        }
    }
}
