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

    static final ResourcePrinter NAMESPACES = ResourcePrinter.named(
            List.of(Column.text("Status", "Active, or Terminating while being deleted.")),
            (ns, now, out) -> out.add(Fields.str(ns, "status", "phase")));

    // Data counts are numbers in string-typed columns upstream; we send the same.
    static final ResourcePrinter CONFIG_MAPS = ResourcePrinter.named(
            List.of(Column.text("Data", "Number of keys, text and binary.")),
            (cm, now, out) -> out.add(Fields.size(cm, "data") + Fields.size(cm, "binaryData")));

    static final ResourcePrinter SECRETS = ResourcePrinter.named(
            List.of(
                    Column.text("Type", "What the secret holds, which decides its required keys."),
                    Column.text("Data", "Number of keys.")),
            (s, now, out) -> {
                out.add(Fields.str(s, "type"));
                out.add(Fields.size(s, "data"));
            });

    /** No Secrets column: no controller fills ServiceAccount.secrets any more, so upstream dropped it. */
    static final ResourcePrinter NAME_AND_AGE = ResourcePrinter.named(List.of(), (o, now, out) -> { });

    static final ResourcePrinter LEASES = ResourcePrinter.named(
            List.of(Column.text("Holder", "Identity currently holding the lease.")),
            (l, now, out) -> out.add(Fields.str(l, "spec", "holderIdentity")));

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
