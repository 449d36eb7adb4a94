package dev.roster.apiserver.authz;

/**
 * One authorizer's answer. NO_OPINION lets the next authorizer in the chain decide; a request no authorizer
 * allows is forbidden. The reason is what upstream appends to a 403 message and puts in a review's status.
 */
public record Decision(Kind kind, String reason) {
    public enum Kind { ALLOW, DENY, NO_OPINION }

    public static final Decision NO_OPINION = new Decision(Kind.NO_OPINION, "");

    public static Decision allow(String reason) {
        return new Decision(Kind.ALLOW, reason);
    }

    public static Decision deny(String reason) {
        return new Decision(Kind.DENY, reason);
    }

    public boolean allowed() {
        return kind == Kind.ALLOW;
    }
}
