package dev.roster.api.table;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The short tables: one or two facts besides name and age. */
final class SimplePrinters {

    private static final DateTimeFormatter RFC3339 =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private SimplePrinters() {}

    static final ResourcePrinter NAMESPACES = ResourcePrinter.of(
            List.of(Column.NAME, Column.text("Status", "Active, or Terminating while being deleted."), Column.AGE),
            (ns, now, out) -> {
                out.add(Fields.name(ns));
                out.add(Fields.str(ns, "status", "phase"));
                out.add(Fields.age(ns, now));
            });

    // Data counts are numbers in string-typed columns upstream; we send the same.
    static final ResourcePrinter CONFIG_MAPS = ResourcePrinter.of(
            List.of(Column.NAME, Column.text("Data", "Number of keys, text and binary."), Column.AGE),
            (cm, now, out) -> {
                out.add(Fields.name(cm));
                out.add(Fields.size(cm, "data") + Fields.size(cm, "binaryData"));
                out.add(Fields.age(cm, now));
            });

    static final ResourcePrinter SECRETS = ResourcePrinter.of(
            List.of(
                    Column.NAME,
                    Column.text("Type", "What the secret holds, which decides its required keys."),
                    Column.text("Data", "Number of keys."),
                    Column.AGE),
            (s, now, out) -> {
                out.add(Fields.name(s));
                out.add(Fields.str(s, "type"));
                out.add(Fields.size(s, "data"));
                out.add(Fields.age(s, now));
            });

    /** No Secrets column: no controller fills ServiceAccount.secrets any more, so upstream dropped it. */
    static final ResourcePrinter NAME_AND_AGE = ResourcePrinter.of(
            List.of(Column.NAME, Column.AGE),
            (o, now, out) -> {
                out.add(Fields.name(o));
                out.add(Fields.age(o, now));
            });

    static final ResourcePrinter LEASES = ResourcePrinter.of(
            List.of(Column.NAME, Column.text("Holder", "Identity currently holding the lease."), Column.AGE),
            (l, now, out) -> {
                out.add(Fields.name(l));
                out.add(Fields.str(l, "spec", "holderIdentity"));
                out.add(Fields.age(l, now));
            });

    /**
     * Resources without a printer of their own get what the generic API server gives them: the
     * name and the creation time as an RFC 3339 date in UTC (not an age).
     */
    static final ResourcePrinter DEFAULT = ResourcePrinter.of(
            List.of(Column.NAME, new Column("Created At", "date", "", "When the object was created.", 0)),
            (o, now, out) -> {
                out.add(Fields.name(o));
                Instant created = Fields.time(o, "metadata", "creationTimestamp");
                out.add(created == null ? "0001-01-01T00:00:00Z" : RFC3339.format(created.truncatedTo(ChronoUnit.SECONDS)));
            });
}
