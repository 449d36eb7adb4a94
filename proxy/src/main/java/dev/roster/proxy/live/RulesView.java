package dev.roster.proxy.live;

import dev.roster.proxy.model.ServiceName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Picks one Service's rules out of what the kernel prints back, for {@code roster proxy rules svc/NAME}: what
 * {@code iptables-save | grep NAME} shows, but exact (no other service whose name merely contains NAME) and
 * complete (rules without comments, as in large clusters, are found by following the service's chains).
 */
public final class RulesView {
    private RulesView() {}

    /** The {@code -A} lines of {@code iptables-save} output that belong to the service, in save order. */
    public static String iptables(String save, ServiceName svc) {
        List<String> rules = new ArrayList<>();
        for (String l : save.split("\n")) if (l.startsWith("-A ")) rules.add(l);
        Set<String> chains = new HashSet<>();
        boolean[] keep = new boolean[rules.size()];
        for (int i = 0; i < rules.size(); i++) {
            String l = rules.get(i);
            if (!mentions(comment(l), svc)) continue;
            keep[i] = true;
            String src = word(l, 1);
            if (IptablesApplier.isServiceChain(src)) chains.add(src);
            String target = after(l, "-j");
            if (target != null && IptablesApplier.isServiceChain(target)) chains.add(target);
        }
        // follow the service's chains to rules that carry no comment (large-cluster mode, the EXT chain's policy jump)
        boolean grew = true;
        while (grew) {
            grew = false;
            for (int i = 0; i < rules.size(); i++) {
                if (keep[i] || !chains.contains(word(rules.get(i), 1))) continue;
                keep[i] = true;
                grew = true;
                String target = after(rules.get(i), "-j");
                if (target != null && IptablesApplier.isServiceChain(target)) chains.add(target);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rules.size(); i++) if (keep[i]) sb.append(rules.get(i)).append('\n');
        return sb.toString();
    }

    /**
     * The parts of {@code nft list table ip kube-proxy} that belong to the service: the map and set elements that
     * lead to its chains ({@code map service-ips: 10.96.0.10 . tcp . 80 : goto service-…}), then its chains
     * (service-, local-, external-, firewall-, endpoint-…) as nft prints them.
     */
    public static String nftables(String listing, ServiceName svc) {
        String marker = "-" + svc.namespace() + "/" + svc.name() + "/";
        List<String> lines = List.of(listing.split("\n"));
        StringBuilder elements = new StringBuilder();
        StringBuilder chains = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).strip();
            if ((t.startsWith("map ") || t.startsWith("set ")) && t.endsWith("{")) {
                String name = t.substring(4, t.length() - 1).strip();
                int end = blockEnd(lines, i);
                StringBuilder body = new StringBuilder();
                boolean inElements = false;
                for (int j = i + 1; j < end; j++) {
                    String b = lines.get(j).strip();
                    if (b.startsWith("elements = {")) {
                        inElements = true;
                        b = b.substring("elements = {".length());
                    }
                    if (inElements) body.append(' ').append(b);
                }
                String all = body.toString().strip();
                if (all.endsWith("}")) all = all.substring(0, all.length() - 1);
                for (String e : all.split(",")) {
                    String el = e.strip();
                    if (!el.isEmpty() && el.contains(marker) && ownsChainIn(el, marker)) {
                        elements.append(t.substring(0, 3)).append(' ').append(name).append(": ").append(el).append('\n');
                    }
                }
                i = end;
            } else if (t.startsWith("chain ") && t.endsWith("{") && isServiceChainOf(t.substring(6, t.length() - 1).strip(), marker)) {
                int end = blockEnd(lines, i);
                for (int j = i; j <= end; j++) chains.append(lines.get(j).strip().isEmpty() ? "" : dedent(lines.get(j))).append('\n');
                i = end;
            }
        }
        return elements.toString() + chains;
    }

    /** Per-service nft chains are {@code kind-HASH8-ns/name/proto/port…}; the marker is {@code -ns/name/}. */
    private static boolean isServiceChainOf(String chain, String marker) {
        int dash = chain.indexOf('-');
        return dash > 0 && chain.startsWith(marker, dash + 9);
    }

    private static boolean ownsChainIn(String element, String marker) {
        for (String w : element.split(" ")) if (isServiceChainOf(w, marker)) return true;
        return false;
    }

    /** The index of the line closing the block opened at {@code start} (braces counted). */
    private static int blockEnd(List<String> lines, int start) {
        int depth = 0;
        for (int j = start; j < lines.size(); j++) {
            for (char c : lines.get(j).toCharArray()) {
                if (c == '{') depth++;
                else if (c == '}') depth--;
            }
            if (depth == 0) return j;
        }
        return lines.size() - 1;
    }

    /** nft indents a table's contents by one tab; the view shows them flush left. */
    private static String dedent(String line) {
        return line.startsWith("\t") ? line.substring(1) : line;
    }

    /** Whether a comment names the service: a word equal to {@code ns/name} or starting with {@code ns/name:}. */
    static boolean mentions(String comment, ServiceName svc) {
        if (comment == null) return false;
        String id = svc.namespace() + "/" + svc.name();
        for (String w : comment.split(" ")) {
            if (w.equals(id) || w.startsWith(id + ":")) return true;
        }
        return false;
    }

    /** The value of {@code --comment}, quoted or not, or null. */
    static String comment(String line) {
        int i = line.indexOf("--comment ");
        if (i < 0) return null;
        int s = i + "--comment ".length();
        if (s < line.length() && line.charAt(s) == '"') {
            int e = line.indexOf('"', s + 1);
            return e < 0 ? line.substring(s + 1) : line.substring(s + 1, e);
        }
        int e = line.indexOf(' ', s);
        return e < 0 ? line.substring(s) : line.substring(s, e);
    }

    private static String word(String line, int n) {
        String[] w = line.split(" ", n + 2);
        return w.length > n ? w[n] : "";
    }

    private static String after(String line, String flag) {
        String[] w = line.split(" ");
        for (int i = 0; i < w.length - 1; i++) if (w[i].equals(flag)) return w[i + 1];
        return null;
    }
}
