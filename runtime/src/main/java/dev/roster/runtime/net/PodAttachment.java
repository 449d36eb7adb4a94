package dev.roster.runtime.net;

/** A pod's network: its namespace, its IP there (on eth0), and the node-side end of its veth. */
public record PodAttachment(NetNs podNs, String podIp, String hostVeth) {}
