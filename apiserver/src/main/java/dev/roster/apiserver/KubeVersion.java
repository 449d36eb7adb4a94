package dev.roster.apiserver;

import dev.roster.api.Json;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Kubernetes version roster reports at /version. The machine's kubectl is a dispatcher that
 * runs the kubectl of the server's minor version, so this picks which kubectl users get.
 */
public record KubeVersion(int major, int minor, int patch) {
    public static final KubeVersion DEFAULT = new KubeVersion(1, 33, 0);

    public String gitVersion() {
        return "v" + major + "." + minor + "." + patch;
    }

    ObjectNode toJson() {
        ObjectNode v = Json.object();
        v.put("major", Integer.toString(major));
        v.put("minor", Integer.toString(minor));
        v.put("emulationMajor", Integer.toString(major));
        v.put("emulationMinor", Integer.toString(minor));
        v.put("minCompatibilityMajor", Integer.toString(major));
        v.put("minCompatibilityMinor", Integer.toString(minor - 1));
        v.put("gitVersion", gitVersion());
        v.put("gitCommit", "roster");
        v.put("gitTreeState", "clean");
        v.put("buildDate", "2026-11-27T00:00:00Z");
        v.put("goVersion", "java" + Runtime.version().feature());
        v.put("compiler", "javac");
        v.put("platform", System.getProperty("os.name").toLowerCase() + "/" + arch());
        return v;
    }

    private static String arch() {
        String a = System.getProperty("os.arch");
        return a.equals("x86_64") ? "amd64" : a.equals("aarch64") ? "arm64" : a;
    }
}
