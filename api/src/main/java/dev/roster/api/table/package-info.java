/**
 * Server-side printing: the columns and cells of the Table answers {@code kubectl get} prints.
 *
 * <p>What we found reading upstream (printers of kube-apiserver, 1.32–1.34 era) and follow here:
 * <ul>
 *   <li>The server always prints the wide form; kubectl hides priority-1 columns itself. Hence
 *       load-balancer ingress lists are never clipped to 16 characters in server output.
 *   <li>Column types are hints only. Some upstream columns are declared "string" but carry
 *       numbers (Deployment Up-to-date/Available, Secret and ConfigMap Data, Event Count); we
 *       declare and send the same. Pod Restarts is a string ("5 (41s ago)").
 *   <li>ServiceAccounts print Name and Age only: the Secrets count was dropped upstream because
 *       nothing fills that field since 1.24.
 *   <li>Resources without a printer get the generic server's default: Name and "Created At"
 *       (type date, RFC 3339 UTC), not an age.
 *   <li>Events of core/v1 and events.k8s.io/v1 share one column set (upstream prints both from
 *       one internal type); Name is the last, wide-only column.
 * </ul>
 */
package dev.roster.api.table;
