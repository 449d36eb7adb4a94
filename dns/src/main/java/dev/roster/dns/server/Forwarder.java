package dev.roster.dns.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Section;

/**
 * Sends the questions the cluster does not own to the host's resolvers, as CoreDNS's {@code forward . /etc/resolv.conf
 * { max_concurrent 1000 }}: over UDP on a few long-lived sockets per upstream ({@link Upstream}; TCP again when the
 * answer is truncated), each upstream with a timeout, the next one on failure, starting from a rotating one so load
 * spreads. Never blocks the caller: the answer arrives on a future. More than {@code maxConcurrent} questions in flight are refused. An upstream that is
 * this server itself is left out (a forwarding loop would spin until the timeout on every query).
 */
public final class Forwarder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

    /** Nothing was sent: too many questions in flight (answered REFUSED, as CoreDNS does). */
    static final class Overloaded extends RuntimeException {
        Overloaded(int max) {
            super("more than " + max + " forwarded questions in flight", null, false, false);
        }
    }

    /** No upstream answered (or none is configured): answered SERVFAIL. */
    static final class NoAnswer extends RuntimeException {
        NoAnswer(String why, Throwable cause) {
            super(why, cause, false, false);
        }
    }

    private final int maxConcurrent;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger next = new AtomicInteger();
    private final List<Upstream> configured;
    private volatile List<Upstream> resolvers;
    /** The timeouts' one thread: started by the first question, gone after a quiet half minute. */
    private final ScheduledThreadPoolExecutor timer;

    public Forwarder(List<InetSocketAddress> upstreams, Duration timeout, int maxConcurrent) {
        this.maxConcurrent = maxConcurrent;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> Thread.ofPlatform().daemon().name("roster-dns-forward-timeouts").unstarted(r));
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(30, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        this.configured = upstreams.stream().map(u -> new Upstream(u, timeout, timer)).toList();
        this.resolvers = configured;
    }

    /** Leaves out the upstreams that are this server's own addresses (called once they are bound). */
    public void avoid(Collection<InetSocketAddress> own) {
        List<Upstream> kept = new ArrayList<>();
        for (Upstream u : resolvers) {
            if (own.stream().anyMatch(o -> isSameServer(u.address(), o))) {
                log.warn("not forwarding to {}: it is this DNS server itself (a loop)", u.address());
                u.close();
            } else {
                kept.add(u);
            }
        }
        resolvers = List.copyOf(kept);
    }

    public List<InetSocketAddress> upstreams() {
        return resolvers.stream().map(Upstream::address).toList();
    }

    /** Closes the upstream sockets and their threads; questions in flight fail. */
    @Override
    public void close() {
        for (Upstream u : configured) u.close();
        timer.shutdownNow();
    }

    /** The upstream's answer to the client's {@code query} (its question, RD, CD and DO), or a failed future. */
    public CompletableFuture<Message> forward(Message query) {
        List<Upstream> all = resolvers;
        if (all.isEmpty()) return CompletableFuture.failedFuture(new NoAnswer("no upstream resolvers", null));
        if (inFlight.incrementAndGet() > maxConcurrent) {
            inFlight.decrementAndGet();
            return CompletableFuture.failedFuture(new Overloaded(maxConcurrent));
        }
        CompletableFuture<Message> result = new CompletableFuture<>();
        result.whenComplete((m, e) -> inFlight.decrementAndGet());
        int first = Math.floorMod(next.getAndIncrement(), all.size());
        attempt(upstreamQuery(query), all, first, 0, null, result);
        return result;
    }

    private void attempt(Message query, List<Upstream> all, int first, int tried, Throwable last, CompletableFuture<Message> result) {
        if (tried == all.size()) {
            result.completeExceptionally(new NoAnswer("no upstream answered " + query.getQuestion().getName(), last));
            return;
        }
        Upstream u = all.get((first + tried) % all.size());
        u.exchange(query).whenComplete((answer, error) -> {
            if (error == null) {
                result.complete(answer);
            } else {
                log.debug("upstream {} failed for {}: {}", u.address(), query.getQuestion().getName(), error.toString());
                attempt(query, all, first, tried + 1, error, result);
            }
        });
    }

    /** A fresh query (new random ID) with the client's question and the flags that change the answer. */
    static Message upstreamQuery(Message client) {
        Message q = Message.newQuery(client.getQuestion());
        q.getHeader().setFlag(Flags.RD);
        if (client.getHeader().getFlag(Flags.CD)) q.getHeader().setFlag(Flags.CD);
        OPTRecord opt = client.getOPT();
        int flags = opt == null ? 0 : opt.getFlags() & ExtendedFlags.DO;
        q.addRecord(new OPTRecord(Responses.PAYLOAD, 0, 0, flags), Section.ADDITIONAL);
        return q;
    }

    /** Whether sending to {@code upstream} reaches the server listening on {@code own}. */
    static boolean isSameServer(InetSocketAddress upstream, InetSocketAddress own) {
        if (upstream.getPort() != own.getPort()) return false;
        InetAddress u = upstream.getAddress();
        InetAddress o = own.getAddress();
        if (u == null || o == null) return false;
        if (u.equals(o)) return true;
        return o.isAnyLocalAddress() && isLocal(u);
    }

    private static boolean isLocal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) return true;
        try {
            return NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
