/**
 * The transparency log server, beside the path (docs/TRANSPARENCY.md): an append-only, fsync'd log
 * of enclave releases, gateway key configs and issuer keys under a signed C2SP checkpoint, with
 * inclusion and consistency proofs, lookups, appends signed by known publishers, and witness
 * cosignatures. A client believes an enclave or a key only if it is in the log. It never signs two
 * histories: {@code SignedHistory} holds the start's checks, {@code LogRecovery} the operator's
 * {@code log recover}.
 *
 * <p>Built on the {@code tlog} library; may import {@code core} and {@code logclient} (the paths of
 * its own HTTP API); never another role. It knows nothing about users or requests.
 */
package org.privateprocessing.log;
