package dev.roster.apiserver.pki;

import java.util.List;

/**
 * Who a client certificate names: the API server reads the user from CN and the groups from O, as upstream's
 * x509 authenticator does.
 *
 * @param file the base name of its files under {@code pki/clients/}
 */
public record ClientIdentity(String file, String user, List<String> groups) {
    public ClientIdentity {
        groups = List.copyOf(groups);
    }

    public static final ClientIdentity ADMIN = new ClientIdentity("admin", "kubernetes-admin", List.of("system:masters"));
    public static final ClientIdentity CONTROLLER_MANAGER =
            new ClientIdentity("kube-controller-manager", "system:kube-controller-manager", List.of());
    public static final ClientIdentity SCHEDULER = new ClientIdentity("kube-scheduler", "system:kube-scheduler", List.of());
    public static final ClientIdentity PROXY = new ClientIdentity("kube-proxy", "system:kube-proxy", List.of());
    /** The loopback load-balancer allocator (a cloud provider's job upstream). */
    public static final ClientIdentity LOAD_BALANCER =
            new ClientIdentity("roster-loadbalancer", "system:roster-loadbalancer", List.of());

    /** The cluster DNS server, bound to kubeadm's {@code system:coredns} role. */
    public static final ClientIdentity DNS = new ClientIdentity("roster-dns", "system:roster-dns", List.of());

    /** A node's kubelet identity: {@code system:node:<name>} in group {@code system:nodes}. */
    public static ClientIdentity node(String nodeName) {
        return new ClientIdentity("node-" + nodeName, "system:node:" + nodeName, List.of("system:nodes"));
    }
}
