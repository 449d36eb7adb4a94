package dev.roster.apiserver.rest;

import tools.jackson.databind.JsonNode;

/** The pod QoS class upstream records in status.qosClass at creation. */
final class PodQos {
    private PodQos() {}

    static String classify(JsonNode spec) {
        boolean any = false;
        boolean guaranteed = true;
        for (String list : new String[] {"initContainers", "containers"}) {
            for (JsonNode c : spec.path(list)) {
                JsonNode req = c.path("resources").path("requests");
                JsonNode lim = c.path("resources").path("limits");
                if (req.size() > 0 || lim.size() > 0) any = true;
                for (String r : new String[] {"cpu", "memory"}) {
                    JsonNode l = lim.get(r);
                    JsonNode q = req.get(r);
                    if (l == null) guaranteed = false;
                    else if (q != null && !q.asString().equals(l.asString())) guaranteed = false;
                }
            }
        }
        if (!any) return "BestEffort";
        return guaranteed ? "Guaranteed" : "Burstable";
    }
}
