package dev.roster.storage.support;

/**
 * The half-open key range {@code [start, end)} that a prefix (and an optional start key) selects.
 *
 * <p>Both backends use the same range so that they agree on which keys a list or watch sees. The
 * end is computed on UTF-16 code units; SQLite compares UTF-8 bytes, which orders the same way for
 * every key below U+E000, and Kubernetes keys are ASCII.
 *
 * @param end the first key past the range, or null when the range runs to the end of the key space
 */
public record KeyRange(String start, String end) {

    /** The keys starting with {@code prefix}, from {@code startKey} on when it lies further in. */
    public static KeyRange of(String prefix, String startKey) {
        String end = prefixEnd(prefix);
        String start = startKey != null && startKey.compareTo(prefix) > 0 ? startKey : prefix;
        return new KeyRange(start, end);
    }

    /** Whether {@code key} lies inside the range. */
    public boolean contains(String key) {
        return key.compareTo(start) >= 0 && (end == null || key.compareTo(end) < 0);
    }

    /** Whether no key can lie inside the range (a start key past the prefix). */
    public boolean isEmpty() {
        return end != null && start.compareTo(end) >= 0;
    }

    /** The smallest string greater than every string starting with {@code prefix}, or null if none. */
    static String prefixEnd(String prefix) {
        StringBuilder sb = new StringBuilder(prefix);
        // Trailing U+FFFF cannot be incremented; dropping it widens nothing because no UTF-16
        // unit sorts above it.
        while (!sb.isEmpty() && sb.charAt(sb.length() - 1) == Character.MAX_VALUE) {
            sb.setLength(sb.length() - 1);
        }
        if (sb.isEmpty()) {
            return null;
        }
        int last = sb.length() - 1;
        sb.setCharAt(last, (char) (sb.charAt(last) + 1));
        return sb.toString();
    }
}
