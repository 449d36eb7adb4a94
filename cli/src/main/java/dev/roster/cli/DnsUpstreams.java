package dev.roster.cli;

import dev.roster.runtime.net.ResolvConf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The servers the cluster DNS forwards other names to: the nameservers of the host's resolv.conf, as CoreDNS's
 * {@code forward . /etc/resolv.conf}, minus the cluster DNS's own address — a host that already asks the cluster
 * DNS would otherwise send each unknown name round in a loop (what CoreDNS's {@code loop} plugin guards against).
 */
final class DnsUpstreams {
    private DnsUpstreams() {}

    static List<InetSocketAddress> from(Path resolvConf, String ownIp, int ownPort) {
        ResolvConf conf;
        try {
            conf = ResolvConf.read(resolvConf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resolvConf + ": " + e.getMessage(), e);
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (String ns : conf.nameservers()) {
            // only addresses belong there (a stray word is ignored, as glibc does); a literal is never looked up
            if (!ns.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.%\\w]*")) continue;
            InetAddress addr;
            try {
                addr = InetAddress.getByName(ns);
            } catch (UnknownHostException e) {
                continue;
            }
            InetSocketAddress upstream = new InetSocketAddress(addr, 53);
            boolean self = ownPort == 53 && addr.equals(literal(ownIp));
            if (!self && !out.contains(upstream)) out.add(upstream);
        }
        return out;
    }

    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip + " is not an address", e);
        }
    }
}
