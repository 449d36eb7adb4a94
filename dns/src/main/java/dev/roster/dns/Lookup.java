package dev.roster.dns;

import java.util.List;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * One question's answer from a {@link Zone}: the response code and the three record sections. A fallthrough lookup
 * (a reverse name the cluster does not own, as the kubernetes plugin's {@code fallthrough in-addr.arpa ip6.arpa})
 * carries no records and is forwarded instead.
 */
public record Lookup(int rcode, List<Record> answers, List<Record> authority, List<Record> additional, boolean fallthrough) {
    public Lookup {
        answers = List.copyOf(answers);
        authority = List.copyOf(authority);
        additional = List.copyOf(additional);
    }

    public static Lookup answer(List<Record> answers, List<Record> additional) {
        return new Lookup(Rcode.NOERROR, answers, List.of(), additional, false);
    }

    /** NOERROR without records (the name exists, not with this type): the zone's SOA in authority. */
    public static Lookup noData(Record soa) {
        return new Lookup(Rcode.NOERROR, List.of(), List.of(soa), List.of(), false);
    }

    public static Lookup nxDomain(Record soa) {
        return new Lookup(Rcode.NXDOMAIN, List.of(), List.of(soa), List.of(), false);
    }

    public static Lookup fallThrough() {
        return new Lookup(Rcode.NOERROR, List.of(), List.of(), List.of(), true);
    }
}
