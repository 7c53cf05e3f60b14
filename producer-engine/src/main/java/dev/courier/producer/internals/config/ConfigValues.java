package dev.courier.producer.internals.config;

import dev.courier.producer.errors.ConfigException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one typed value out of a raw configuration map, the way Kafka's ConfigDef does: strings (as
 * from Properties or YAML) are trimmed and parsed, numbers and booleans are taken as they are, and
 * anything that does not fit becomes a {@link ConfigException} naming the key, the value and what is
 * allowed. A key mapped to {@code null} counts as not set.
 *
 * <p>Stateless apart from the map it reads; used only while {@link ProducerSettings} is built.
 */
final class ConfigValues {

    private final Map<String, ?> raw;

    ConfigValues(Map<String, ?> raw) {
        this.raw = raw;
    }

    /** True when the user gave the key a non-null value (the difference matters for derived defaults). */
    boolean isSet(String key) {
        return raw.get(key) != null;
    }

    Object rawValue(String key) {
        return raw.get(key);
    }

    long longIn(String key, long defaultValue, long min, long max) {
        Object value = raw.get(key);
        if (value == null) {
            return defaultValue;
        }
        long parsed = toLong(key, value, rangeText(min, max));
        if (parsed < min || parsed > max) {
            throw new ConfigException(key, value, rangeText(min, max));
        }
        return parsed;
    }

    int intIn(String key, int defaultValue, int min, int max) {
        return (int) longIn(key, defaultValue, min, max);
    }

    long longAtLeast(String key, long defaultValue, long min) {
        return longIn(key, defaultValue, min, Long.MAX_VALUE);
    }

    int intAtLeast(String key, int defaultValue, int min) {
        return intIn(key, defaultValue, min, Integer.MAX_VALUE);
    }

    /** {@code true}/{@code false} only (any case); "yes", "1" and friends are rejected. */
    boolean bool(String key, boolean defaultValue) {
        Object value = raw.get(key);
        if (value == null) {
            return defaultValue;
        }
        return toBoolean(key, value);
    }

    /** The boolean the user set, or null when the key is absent. */
    Boolean explicitBool(String key) {
        Object value = raw.get(key);
        return value == null ? null : toBoolean(key, value);
    }

    /** A trimmed string; a Class becomes its name so that class-valued keys print sensibly. */
    String string(String key, String defaultValue) {
        Object value = raw.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof String s) {
            return s.trim();
        }
        if (value instanceof Class<?> c) {
            return c.getName();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw new ConfigException(key, value, "must be a string");
    }

    /**
     * A list given as a comma-separated string, a Collection, an array or a single element. Strings are
     * trimmed and empty entries dropped; other elements (classes, instances) are kept as they are.
     */
    List<Object> list(String key) {
        Object value = raw.get(key);
        List<Object> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (value instanceof String s) {
            addSplit(s, out);
        } else if (value instanceof Collection<?> collection) {
            for (Object element : collection) {
                addElement(element, out);
            }
        } else if (value instanceof Object[] array) {
            for (Object element : array) {
                addElement(element, out);
            }
        } else {
            out.add(value);
        }
        return out;
    }

    private static void addElement(Object element, List<Object> out) {
        if (element instanceof String s) {
            addSplit(s, out);
        } else if (element != null) {
            out.add(element);
        }
    }

    private static void addSplit(String s, List<Object> out) {
        for (String part : s.split(",")) {
            String trimmed = part.trim();
            if (!trimmed.isEmpty()) {
                out.add(trimmed);
            }
        }
    }

    static long toLong(String key, Object value, String allowed) {
        if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        if (value instanceof Number number) {
            return wholeNumber(key, value, new BigDecimal(number.toString()), allowed);
        }
        if (value instanceof String s) {
            String trimmed = s.trim();
            try {
                return Long.parseLong(trimmed);
            } catch (NumberFormatException e) {
                throw new ConfigException(key, s, notANumber(trimmed, allowed));
            }
        }
        throw new ConfigException(key, value, "must be a whole number, " + allowed);
    }

    private static long wholeNumber(String key, Object value, BigDecimal decimal, String allowed) {
        try {
            return decimal.longValueExact();
        } catch (ArithmeticException e) {
            throw new ConfigException(key, value, "must be a whole number, " + allowed);
        }
    }

    private static String notANumber(String text, String allowed) {
        StringBuilder sb = new StringBuilder("must be a whole number, ").append(allowed);
        if (!text.isEmpty() && Character.isDigit(text.charAt(0))) {
            sb.append(" (plain digits only: units such as \"ms\" or \"s\" are not accepted)");
        }
        return sb.toString();
    }

    private static boolean toBoolean(String key, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s) {
            String trimmed = s.trim().toLowerCase(Locale.ROOT);
            if (trimmed.equals("true")) {
                return true;
            }
            if (trimmed.equals("false")) {
                return false;
            }
            throw new ConfigException(key, s, "must be true or false");
        }
        throw new ConfigException(key, value, "must be true or false");
    }

    static String rangeText(long min, long max) {
        if (max == Long.MAX_VALUE) {
            return "must be at least " + min;
        }
        return "must be between " + min + " and " + max;
    }
}
