package dev.roster.proxy.testing;

import dev.roster.proxy.iptables.JumpRule;
import dev.roster.proxy.model.Addresses;
import dev.roster.proxy.model.Cidr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows a packet through rendered iptables rules the way upstream's tests do (tracePacket): nat
 * PREROUTING first, following jumps; a jump guarded by {@code --probability} never ends the chain, so
 * every endpoint it could reach is collected; KUBE-MARK-MASQ only sets the masquerade flag; DNAT ends
 * the walk. Then, with the destination rewritten to the first DNAT target, the filter chains
 * KUBE-SERVICES, KUBE-EXTERNAL-SERVICES, KUBE-NODEPORTS and KUBE-PROXY-FIREWALL run, where
 * ACCEPT/REJECT/DROP end a chain. Affinity checks, mark matches and conntrack-state matches never match.
 */
public final class PacketTracer {
    /** Endpoints reached (or the filter verdicts) joined by ", ", and whether the packet gets masqueraded. */
    public record Result(String output, boolean masq) {
    }

    private record Rule(String target, String toDestination, boolean probability, boolean neverMatches,
                        List<Match> matches) {
    }

    private record Match(String option, String value, boolean negated) {
    }

    private final Map<String, Map<String, List<Rule>>> tables = new HashMap<>();
    private final Set<String> localIPs;

    public PacketTracer(String restoreText, Set<String> localIPs) {
        this.localIPs = localIPs;
        RestoreText parsed = RestoreText.parse(restoreText);
        parsed.tables.forEach((table, chains) -> {
            Map<String, List<Rule>> t = tables.computeIfAbsent(table, k -> new HashMap<>());
            chains.forEach((name, chain) -> {
                List<Rule> rules = new ArrayList<>();
                for (String raw : chain.rules) rules.add(parseRule(raw));
                t.put(name, rules);
            });
        });
        // The hooks from built-in chains, as kube-proxy ensures them on a full sync.
        for (JumpRule j : JumpRule.ALL) {
            tables.computeIfAbsent(j.table(), k -> new HashMap<>())
                    .computeIfAbsent(j.srcChain(), k -> new ArrayList<>()).add(parseRule(j.text()));
        }
    }

    public Result trace(String sourceIP, String destIP, int destPort) {
        return trace("tcp", sourceIP, destIP, destPort);
    }

    public Result trace(String protocol, String sourceIP, String destIP, int destPort) {
        Walk w = new Walk(protocol, sourceIP, destPort);
        w.dest = destIP;
        w.run("nat", "PREROUTING");
        if (!w.outputs.isEmpty()) w.dest = hostOf(w.outputs.get(0));
        for (String chain : new String[]{"KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "KUBE-NODEPORTS", "KUBE-PROXY-FIREWALL"}) {
            w.run("filter", chain);
        }
        return new Result(String.join(", ", w.outputs), w.masq);
    }

    private static String hostOf(String hostPort) {
        if (hostPort.startsWith("[")) return hostPort.substring(1, hostPort.indexOf(']'));
        return hostPort.substring(0, hostPort.lastIndexOf(':'));
    }

    private final class Walk {
        final String protocol, source;
        final int port;
        String dest;
        boolean masq;
        final List<String> outputs = new ArrayList<>();

        Walk(String protocol, String source, int port) {
            this.protocol = protocol;
            this.source = source;
            this.port = port;
        }

        /** True when the chain ended in a verdict. */
        boolean run(String table, String chain) {
            List<Rule> rules = tables.getOrDefault(table, Map.of()).getOrDefault(chain, List.of());
            for (Rule r : rules) {
                if (!matches(r)) continue;
                if (r.target() == null) continue;
                switch (r.target()) {
                    case "KUBE-MARK-MASQ" -> masq = true;
                    case "ACCEPT", "REJECT", "DROP" -> {
                        outputs.add(r.target());
                        return true;
                    }
                    case "DNAT" -> {
                        outputs.add(r.toDestination());
                        return true;
                    }
                    case "RETURN" -> {
                        return false;
                    }
                    default -> {
                        boolean ended = run(table, r.target());
                        if (ended && !r.probability()) return true;
                    }
                }
            }
            return false;
        }

        boolean matches(Rule r) {
            if (r.neverMatches()) return false;
            for (Match m : r.matches()) {
                boolean ok = switch (m.option()) {
                    case "-s" -> addressMatches(m.value(), source);
                    case "-d" -> addressMatches(m.value(), dest);
                    case "--dport" -> Integer.parseInt(m.value()) == port;
                    case "--src-type" -> m.value().equals("LOCAL") && isLocal(source);
                    case "--dst-type" -> m.value().equals("LOCAL") && isLocal(dest);
                    case "-p" -> m.value().equals(protocol);
                    default -> true;
                };
                if (ok == m.negated()) return false;
            }
            return true;
        }

        private boolean isLocal(String ip) {
            return localIPs.contains(Addresses.canonical(ip));
        }
    }

    private static boolean addressMatches(String spec, String ip) {
        if (spec.indexOf('/') >= 0) return Cidr.parse(spec).contains(ip);
        return spec.equals(Addresses.canonical(ip));
    }

    private static Rule parseRule(String raw) {
        List<String> words = words(raw);
        String target = null, toDest = null;
        boolean probability = false, never = false, negate = false;
        List<Match> matches = new ArrayList<>();
        for (int i = 2; i < words.size(); i++) {
            String w = words.get(i);
            switch (w) {
                case "!" -> {
                    negate = true;
                    continue;
                }
                case "-j" -> target = words.get(++i);
                case "--to-destination" -> toDest = words.get(++i);
                case "--probability" -> {
                    probability = true;
                    i++;
                }
                case "--rcheck", "--mark", "--ctstate" -> never = true;
                case "-s", "-d", "--dport", "--src-type", "--dst-type", "-p" -> matches.add(new Match(w, words.get(++i), negate));
                default -> {
                }
            }
            negate = false;
        }
        return new Rule(target, toDest, probability, never, matches);
    }

    private static List<String> words(String raw) {
        List<String> out = new ArrayList<>();
        int i = 0, n = raw.length();
        while (i < n) {
            if (raw.charAt(i) == ' ') { i++; continue; }
            if (raw.charAt(i) == '"') {
                int e = raw.indexOf('"', i + 1);
                out.add(raw.substring(i + 1, e));
                i = e + 1;
            } else {
                int e = raw.indexOf(' ', i);
                if (e < 0) e = n;
                out.add(raw.substring(i, e));
                i = e;
            }
        }
        return out;
    }
}
