package dev.roster.proxy.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The flow rows of a vector's expected-flows.yaml, per subcase; shared by the rule-text and the real-packet tests. */
public final class VectorFlows {
    /** One row: a connection from {@code src} to {@code dst:port}, the endpoints it may reach (or REJECT/DROP), masquerading. */
    public record Flow(String name, String src, String dst, int port, String output, boolean masq) {
    }

    private static final Pattern FLOW = Pattern.compile(
            "\\{name: \"?([^\",]+(?:, [^\",]+)*)\"?,\\s*src: (\\S+), dst: (\\S+), port: (\\d+), output: \"?([^\"]*?)\"?, masq: (true|false)}");

    private VectorFlows() {
    }

    /** Flows per subcase (simple enough for a pattern). */
    public static Map<String, List<Flow>> parse(String text) {
        Map<String, List<Flow>> out = new LinkedHashMap<>();
        String current = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) continue;
            if (!line.startsWith(" ")) {
                current = line.substring(0, line.indexOf(':'));
                out.put(current, new ArrayList<>());
                continue;
            }
            Matcher m = FLOW.matcher(line);
            if (!m.find()) throw new IllegalArgumentException("unreadable flow: " + line);
            out.get(current).add(new Flow(m.group(1), m.group(2), m.group(3), Integer.parseInt(m.group(4)),
                    m.group(5), Boolean.parseBoolean(m.group(6))));
        }
        return out;
    }
}
