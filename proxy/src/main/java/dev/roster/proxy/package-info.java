/**
 * The service proxy: what kube-proxy does upstream. Sub-packages hold one proxier each
 * ({@code iptables}, {@code nftables}, {@code userspace}) and the shared service/endpoint model.
 */
package dev.roster.proxy;
