package dev.roster.proxy.iptables;

/**
 * Accumulates restore-input lines and counts them. A discarding buffer only counts: partial syncs
 * generate the chains of unchanged services into one, because upstream's rule-count metric includes
 * them although they are not written.
 */
final class LineBuffer {
    private final StringBuilder sb;
    private int lines;

    private LineBuffer(StringBuilder sb) {
        this.sb = sb;
    }

    static LineBuffer of(int capacity) {
        return new LineBuffer(new StringBuilder(Math.max(capacity, 256)));
    }

    static LineBuffer discarding() {
        return new LineBuffer(null);
    }

    LineBuffer a(String s) {
        if (sb != null) sb.append(s);
        return this;
    }

    LineBuffer a(int i) {
        if (sb != null) sb.append(i);
        return this;
    }

    /** Ends the current line. */
    void nl() {
        if (sb != null) sb.append('\n');
        lines++;
    }

    /** Appends one whole line. */
    void line(String s) {
        if (sb != null) sb.append(s).append('\n');
        lines++;
    }

    /** A chain declaration, {@code :NAME - [0:0]}. */
    void chain(String name) {
        if (sb != null) sb.append(':').append(name).append(" - [0:0]\n");
        lines++;
    }

    /** Appends text of whole lines produced earlier (see {@link #since}). */
    void lines(String text, int count) {
        if (sb != null) sb.append(text);
        lines += count;
    }

    /** The text appended since a {@link #length()} mark. */
    String since(int mark) {
        return sb == null ? "" : sb.substring(mark);
    }

    int lines() {
        return lines;
    }

    int length() {
        return sb == null ? 0 : sb.length();
    }

    StringBuilder text() {
        return sb;
    }
}
