package dev.roster.runtime.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A resolver configuration as resolv.conf(5) holds it, read the way the kubelet reads the host's file: {@code
 * nameserver} lines accumulate, the last {@code search} line wins (a trailing dot dropped, so {@code a.} and {@code a}
 * count once, and {@code .} alone dropped), the last {@code options} line wins; comments ({@code #} or {@code ;}) and
 * other keywords ({@code domain}, {@code sortlist}) are ignored. Rendered as container runtimes write a pod's file:
 * search, then nameservers, then options, each line only when it has something.
 */
public record ResolvConf(List<String> nameservers, List<String> searches, List<String> options) {
    /** The largest file read (the kubelet's limit): a bigger one is refused rather than half read. */
    public static final int MAX_BYTES = 10 << 20;
    public static final ResolvConf EMPTY = new ResolvConf(List.of(), List.of(), List.of());

    public ResolvConf {
        nameservers = List.copyOf(nameservers);
        searches = List.copyOf(searches);
        options = List.copyOf(options);
    }

    /** Parses resolv.conf text; IllegalArgumentException for a {@code nameserver} line without an address. */
    public static ResolvConf parse(String text) {
        List<String> nameservers = new ArrayList<>();
        List<String> searches = List.of();
        List<String> options = List.of();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) continue;
            String[] fields = trimmed.split("\\s+");
            switch (fields[0]) {
                case "nameserver" -> {
                    if (fields.length < 2) throw new IllegalArgumentException("nameserver list is empty");
                    nameservers.add(fields[1]);
                }
                case "search" -> searches = Arrays.stream(fields, 1, fields.length).filter(s -> !s.equals("."))
                        .map(s -> s.endsWith(".") ? s.substring(0, s.length() - 1) : s).toList();
                case "options" -> options = List.of(fields).subList(1, fields.length);
                default -> { } // domain, sortlist, lookup...: not part of what pods are given
            }
        }
        return new ResolvConf(nameservers, searches, options);
    }

    /** Reads and parses a file (at most {@link #MAX_BYTES}); IOException when it cannot be read or is malformed. */
    public static ResolvConf read(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) throw new IOException(file + " is larger than " + MAX_BYTES + " bytes");
        try {
            return parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot parse " + file + ": " + e.getMessage(), e);
        }
    }

    public ResolvConf withNameservers(List<String> list) { return new ResolvConf(list, searches, options); }

    public ResolvConf withSearches(List<String> list) { return new ResolvConf(nameservers, list, options); }

    public ResolvConf withOptions(List<String> list) { return new ResolvConf(nameservers, searches, list); }

    /** The file's text: {@code search}, one {@code nameserver} line each, {@code options}; empty parts left out. */
    public String render() {
        StringBuilder out = new StringBuilder();
        if (!searches.isEmpty()) out.append("search ").append(String.join(" ", searches)).append('\n');
        for (String ns : nameservers) out.append("nameserver ").append(ns).append('\n');
        if (!options.isEmpty()) out.append("options ").append(String.join(" ", options)).append('\n');
        return out.toString();
    }
}
