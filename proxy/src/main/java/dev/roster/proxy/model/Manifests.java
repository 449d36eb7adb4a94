package dev.roster.proxy.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads Service and EndpointSlice manifests (multi-document YAML or JSON, {@code List} kinds too),
 * exactly as written: nothing is defaulted or validated beyond what the renderers need.
 */
public final class Manifests {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** The Services and EndpointSlices of some manifests. */
    public record Objects(List<Service> services, List<EndpointSlice> slices) {
        public Objects {
            services = List.copyOf(services);
            slices = List.copyOf(slices);
        }
    }

    private Manifests() {
    }

    /**
     * Parses the text; throws IllegalArgumentException with a one-line reason for malformed documents
     * and for kinds other than Service and EndpointSlice.
     */
    public static Objects read(String text) {
        List<Service> services = new ArrayList<>();
        List<EndpointSlice> slices = new ArrayList<>();
        int docNo = 0;
        for (String doc : documents(text)) {
            docNo++;
            Object parsed;
            try {
                parsed = SERIALIZATION.unmarshal(doc);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("document " + docNo + ": " + firstLine(e.getMessage()));
            }
            collect(parsed, docNo, services, slices);
        }
        return new Objects(services, slices);
    }

    private static void collect(Object parsed, int docNo, List<Service> services, List<EndpointSlice> slices) {
        if (parsed instanceof Service s) {
            services.add(s);
        } else if (parsed instanceof EndpointSlice s) {
            slices.add(s);
        } else if (parsed instanceof KubernetesList list) {
            for (HasMetadata item : list.getItems()) collect(item, docNo, services, slices);
        } else if (parsed instanceof List<?> list) {
            for (Object item : list) collect(item, docNo, services, slices);
        } else if (parsed instanceof HasMetadata h) {
            throw new IllegalArgumentException("document " + docNo + ": kind " + h.getKind()
                    + " is not supported (only Service and EndpointSlice)");
        } else {
            throw new IllegalArgumentException("document " + docNo + ": not a Kubernetes object");
        }
    }

    /** Splits on YAML document markers and drops documents holding only comments or blanks. */
    static List<String> documents(String text) {
        List<String> docs = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean content = false;
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("---")) {
                if (content) docs.add(cur.toString());
                cur.setLength(0);
                content = false;
                continue;
            }
            cur.append(line).append('\n');
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) content = true;
        }
        if (content) docs.add(cur.toString());
        return docs;
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
