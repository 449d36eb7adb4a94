package dev.roster.proxy.iptables;

import dev.roster.proxy.model.ProxySettings;

import java.util.stream.Stream;

/** Lets the nftables tests reuse the rule-family cases of {@link RuleFamiliesTest}. */
public final class RuleFamiliesTestAccess {
    private RuleFamiliesTestAccess() {
    }

    public static Stream<Object> cases() {
        return RuleFamiliesTest.cases().map(c -> c);
    }

    public static ProxySettings settings(Object c, ProxySettings.Builder base) {
        return ((RuleFamiliesTest.Case) c).settings().apply(base).build();
    }

    public static String yaml(Object c) {
        return ((RuleFamiliesTest.Case) c).yaml();
    }
}
