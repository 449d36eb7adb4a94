package dev.roster.apiserver.rest;

/** What a request's Accept and Content-Type headers ask for. */
public final class MediaTypes {
    public static final String PROTOBUF = "application/vnd.kubernetes.protobuf";

    private MediaTypes() {}

    /** Whether the client asked for a meta.k8s.io Table (kubectl get). */
    public static boolean wantsTable(String accept) {
        for (String part : accept.split(",")) {
            String p = part.replace(" ", "");
            if (p.contains("as=Table") && p.contains("g=meta.k8s.io")) return true;
        }
        return false;
    }

    /** The media type without parameters, lower-cased. */
    public static String base(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase();
    }
}
