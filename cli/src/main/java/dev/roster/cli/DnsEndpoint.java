package dev.roster.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where the running cluster's DNS server answers, written by {@code roster up} into {@code <data-dir>/dns} for
 * {@code roster dns}: its address and port, the network namespace it listens in (netns dataplane) and the cluster
 * domain the search path is built from.
 *
 * @param netns the namespace to ask from, or null for the host's
 */
record DnsEndpoint(String ip, int port, String netns, String clusterDomain) {
    static final String FILE = "dns";

    void write(Path dataDir) throws IOException {
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("server", ip);
        lines.put("port", Integer.toString(port));
        if (netns != null) lines.put("netns", netns);
        lines.put("cluster-domain", clusterDomain);
        StringBuilder text = new StringBuilder("# written by roster up: where its cluster DNS server answers\n");
        lines.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(dataDir.resolve(FILE), text, StandardCharsets.UTF_8);
    }

    static DnsEndpoint read(Path dataDir) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(dataDir.resolve(FILE), StandardCharsets.UTF_8)) {
            p.load(in);
        }
        String ip = p.getProperty("server");
        String port = p.getProperty("port", "53");
        if (ip == null || !port.matches("\\d{1,5}")) throw new IOException(dataDir.resolve(FILE) + " is not a roster dns file");
        return new DnsEndpoint(ip, Integer.parseInt(port), p.getProperty("netns"), p.getProperty("cluster-domain", "cluster.local"));
    }
}
