package dev.roster.dns.zone;

import dev.roster.dns.Lookup;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * The fixed answers of one zone the plugin serves (the cluster domain, {@code in-addr.arpa.}, {@code ip6.arpa.}),
 * made once per change of the records since the SOA's serial moves with them. The SOA is CoreDNS's: primary
 * {@code ns.dns.<zone>}, mailbox {@code hostmaster.<zone>}, serial the time of the last change, refresh 7200,
 * retry 1800, expire 86400, minimum the TTL (and the record's own TTL the TTL, at most 300).
 */
record ZoneApex(Name zone, Name nsName, Lookup soaAnswer, Lookup nsAnswer, Lookup nsA, Lookup nsAAAA, Lookup noData,
        Lookup nxDomain, Lookup servFail, Lookup refused) {

    static ZoneApex of(Name zone, long ttl, long serial, List<InetAddress> nsIps) {
        Name ns = Names.child("ns.dns", zone);
        SOARecord soa = new SOARecord(zone, DClass.IN, Math.min(ttl, 300), ns, Names.child("hostmaster", zone),
                serial & 0xffffffffL, 7200, 1800, 86400, ttl);
        List<Record> a = new ArrayList<>();
        List<Record> aaaa = new ArrayList<>();
        for (InetAddress ip : nsIps) {
            if (ip instanceof Inet4Address) a.add(new ARecord(ns, DClass.IN, ttl, ip));
            else aaaa.add(new AAAARecord(ns, DClass.IN, ttl, ip));
        }
        List<Record> glue = new ArrayList<>(a);
        glue.addAll(aaaa);
        Lookup noData = Lookup.noData(soa);
        Lookup nsAnswer = glue.isEmpty() ? noData : Lookup.answer(List.of(new NSRecord(zone, DClass.IN, ttl, ns)), glue);
        return new ZoneApex(zone, ns, Lookup.answer(List.of(soa), List.of()), nsAnswer,
                a.isEmpty() ? noData : Lookup.answer(a, List.of()), aaaa.isEmpty() ? noData : Lookup.answer(aaaa, List.of()),
                noData, Lookup.nxDomain(soa),
                new Lookup(Rcode.SERVFAIL, List.of(), List.of(soa), List.of(), false),
                new Lookup(Rcode.REFUSED, List.of(), List.of(), List.of(), false));
    }

    /** {@code ns.dns.<zone>}'s addresses for A and AAAA; the name exists for every other type too. */
    Lookup nsAddresses(int type) {
        return type == org.xbill.DNS.Type.A ? nsA : type == org.xbill.DNS.Type.AAAA ? nsAAAA : noData;
    }
}
