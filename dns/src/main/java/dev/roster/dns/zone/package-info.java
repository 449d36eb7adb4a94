/**
 * The cluster zone: the names of the Kubernetes DNS specification (schema 1.1.0) answered from memory, as CoreDNS's
 * kubernetes plugin answers them with kubeadm's Corefile ({@code kubernetes cluster.local in-addr.arpa ip6.arpa
 * {pods insecure; fallthrough in-addr.arpa ip6.arpa; ttl 30}}).
 *
 * <p>{@link dev.roster.dns.zone.KubernetesZone} feeds {@link dev.roster.dns.zone.ClusterRecords} from informers;
 * each Service change rebuilds that Service's names ({@link dev.roster.dns.zone.ServiceRecords}) into ready-made
 * answers, so a question is one hash lookup. The golden files under {@code src/test/resources/golden/zone} show every
 * kind of answer. Behaviour read from CoreDNS (plugin/kubernetes, plugin/backend_lookup.go) and kept on purpose,
 * including its less obvious choices:
 * <ul>
 *   <li>an endpoint is published when its Ready condition is true or unset (serving/terminating are not read), or
 *       always when the Service sets {@code publishNotReadyAddresses};</li>
 *   <li>endpoint names ({@code hostname.svc.ns.svc.zone}, else the dashed address) exist for ClusterIP Services
 *       too, not only headless ones; a headless Service without a published endpoint does not exist (NXDOMAIN);</li>
 *   <li>SRV on the Service name lists every port (unnamed ones too) with weight {@code 100/n}; {@code _port._proto}
 *       is also read without the underscores ({@code http.tcp.svc...});</li>
 *   <li>a SOA question anywhere in a zone gets the zone's SOA; TXT exists only at {@code dns-version.<zone>}
 *       (NODATA elsewhere, even for missing names), and {@code dns-version} has no other type (NXDOMAIN);</li>
 *   <li>names under a namespace that does not exist are NXDOMAIN; a missing name is SERVFAIL until the first sync;</li>
 *   <li>PTR: a ClusterIP names its Service only; an endpoint address names every endpoint name it has; reverse names
 *       the cluster does not own fall through to the forwarder;</li>
 *   <li>an ExternalName is a CNAME (for A, AAAA and CNAME questions); a target inside the zone is followed here, an
 *       outside target comes back as the CNAME alone and the server appends the upstream's answer for it; an address as the external
 *       name gives no record at all.</li>
 * </ul>
 */
package dev.roster.dns.zone;
