/**
 * The transparency log's HTTP client: {@link org.privateprocessing.logclient.LogClient} (every
 * endpoint and its path, answers parsed into {@code tlog} types), {@link
 * org.privateprocessing.logclient.LogReader} (what a gateway reads to hand proofs to clients) and
 * {@link org.privateprocessing.logclient.LogPublisher} (what a role appends at start).
 *
 * <p>Imports {@code tlog} only, and no role, so that roles, the node and the command line can all
 * use it. It checks form only: verifying signatures and proofs is the caller's job.
 */
package org.privateprocessing.logclient;
