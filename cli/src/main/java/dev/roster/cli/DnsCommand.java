package dev.roster.cli;

import dev.roster.runtime.net.NetNs;
import dev.roster.runtime.net.NsThread;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code roster dns NAME [TYPE]}: asks the running cluster's DNS server, as a pod in {@code --namespace} would — a
 * name with fewer than five dots goes through the pod search path ({@code <ns>.svc.<domain> svc.<domain> <domain>},
 * ndots:5) before it is tried as it is — and prints the answer section as dig does.
 */
@Command(name = "dns", mixinStandardHelpOptions = true,
        description = "Ask the cluster's DNS server for NAME (as a pod in --namespace would) and print the answer.")
final class DnsCommand implements Callable<Integer> {
    private static final int NDOTS = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @Spec CommandSpec spec;

    @Option(names = "--data-dir", description = "The data dir of the running roster (default: ~/.roster, else ~/.roster-netns).")
    Path dataDir;

    @Option(names = {"-n", "--namespace"}, description = "Resolve as a pod in this namespace (default: ${DEFAULT-VALUE}).")
    String namespace = "default";

    @Parameters(index = "0", paramLabel = "NAME", description = "A name: nginx, nginx.default, nginx.default.svc.cluster.local., an IP for PTR …")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TYPE", description = "A, AAAA, SRV, PTR, CNAME, TXT, SOA, NS, ANY (default: A; PTR for an IP).")
    String type;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DnsEndpoint server = endpoint();
        boolean ip = name.matches("[0-9.]+") || name.contains(":");
        int qtype = type == null ? (ip ? Type.PTR : Type.A) : Type.value(type.toUpperCase(java.util.Locale.ROOT));
        if (qtype < 0) throw new IllegalArgumentException("unknown record type " + type);
        List<Name> candidates = ip ? List.of(org.xbill.DNS.ReverseMap.fromAddress(name)) : candidates(name, namespace, server.clusterDomain());
        Message last = null;
        Name asked = null;
        Message noData = null;
        Name noDataName = null;
        for (Name candidate : candidates) {
            asked = candidate;
            last = ask(server, candidate, qtype);
            // as glibc's resolver: a name without records (NXDOMAIN or NODATA) sends the search on; anything else ends it
            boolean empty = last.getSection(Section.ANSWER).isEmpty();
            if (!empty || last.getRcode() != Rcode.NXDOMAIN && last.getRcode() != Rcode.NOERROR) break;
            if (last.getRcode() == Rcode.NOERROR && noData == null) {
                noData = last;
                noDataName = candidate;
            }
        }
        if (last.getSection(Section.ANSWER).isEmpty() && noData != null) {
            last = noData;
            asked = noDataName;
        }
        out.printf(";; %s %s: %s (from %s:%d%s)%n", asked, Type.string(qtype), Rcode.string(last.getRcode()), server.ip(), server.port(),
                server.netns() == null ? "" : " in netns " + server.netns());
        for (Record r : last.getSection(Section.ANSWER)) out.println(r);
        out.flush();
        return last.getRcode() == Rcode.NOERROR ? 0 : 1;
    }

    /** The names a pod's resolver tries, in order (resolv.conf search with ndots:5). */
    static List<Name> candidates(String name, String namespace, String clusterDomain) throws TextParseException {
        if (name.endsWith(".")) return List.of(Name.fromString(name));
        List<Name> out = new ArrayList<>();
        for (String suffix : List.of(namespace + ".svc." + clusterDomain, "svc." + clusterDomain, clusterDomain)) {
            out.add(Name.fromString(name + "." + suffix + "."));
        }
        Name asIs = Name.fromString(name + ".");
        if (name.chars().filter(c -> c == '.').count() >= NDOTS) out.addFirst(asIs);
        else out.add(asIs);
        return out;
    }

    private Message ask(DnsEndpoint server, Name qname, int qtype) throws Exception {
        Message query = Message.newQuery(Record.newRecord(qname, qtype, DClass.IN));
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(server.ip(), server.port()));
        resolver.setTimeout(TIMEOUT);
        try {
            // the netns dataplane's server listens in the switch namespace: the query's sockets are made there
            return server.netns() == null ? resolver.send(query) : NsThread.call(NetNs.named(server.netns()), () -> resolver.send(query));
        } catch (IOException e) {
            throw new IllegalStateException("no answer from the cluster DNS server at " + server.ip() + ":" + server.port()
                    + " (" + e.getMessage() + ")");
        }
    }

    private DnsEndpoint endpoint() throws IOException {
        List<Path> dirs = dataDir != null ? List.of(dataDir)
                : List.of(NetnsDataplane.defaultDataDir(UpCommand.Dataplane.loopback), NetnsDataplane.defaultDataDir(UpCommand.Dataplane.netns));
        for (Path dir : dirs) {
            if (Files.exists(dir.resolve(DnsEndpoint.FILE))) {
                try {
                    return DnsEndpoint.read(dir);
                } catch (NoSuchFileException e) {
                    // went away meanwhile: try the next
                }
            }
        }
        throw new IllegalStateException("no running roster with cluster DNS found in " + dirs.stream().map(Path::toString)
                .reduce((a, b) -> a + " or " + b).orElse("") + " (start one with roster up, or give --data-dir)");
    }
}
