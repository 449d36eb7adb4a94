package dev.roster.dns.zone;

import dev.roster.dns.Lookup;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/** Building names under a zone, and answering with the asker's spelling of the name. */
final class Names {
    private Names() {}

    /** {@code relative.origin}; relative is made of labels we built ourselves, so a parse error is a bug. */
    static Name child(String relative, Name origin) {
        Name n = childOrNull(relative, origin);
        if (n == null) throw new IllegalArgumentException("not a domain name: " + relative + "." + origin);
        return n;
    }

    /** {@code relative.origin}, or null when a label from an object is not usable in a name (too long, say). */
    static Name childOrNull(String relative, Name origin) {
        try {
            return Name.fromString(relative, origin);
        } catch (TextParseException e) {
            return null;
        }
    }

    /**
     * The lookup with the answers owned by {@code stored} renamed to {@code asked}: the index keeps lower-case names,
     * and a question spelt {@code Web.Default.svc...} gets its own spelling back, as CoreDNS answers. The same lookup
     * when the spelling already matches (the common case, so nothing is allocated). {@code asked} may also be another
     * name that CoreDNS reads as {@code stored}.
     */
    static Lookup ownedBy(Lookup l, Name stored, Name asked) {
        if (l.answers().isEmpty() || sameSpelling(stored, asked)) return l;
        List<Record> answers = new ArrayList<>(l.answers().size());
        for (Record r : l.answers()) answers.add(r.getName().equals(stored) ? r.withName(asked) : r);
        return new Lookup(l.rcode(), answers, l.authority(), l.additional(), l.fallthrough());
    }

    private static boolean sameSpelling(Name stored, Name asked) {
        if (stored == asked) return true;
        if (!stored.equals(asked)) return false; // another name altogether (http.tcp... read as _http._tcp...)
        if (asked.canonicalize() == asked && stored.canonicalize() == stored) return true; // both lower case, equal
        return stored.toString().equals(asked.toString());
    }
}
