/**
 * The transparency log's building blocks: RFC 9162 Merkle hashing, an append-only in-memory {@link
 * org.privateprocessing.tlog.MerkleTree} with inclusion and consistency proofs, C2SP checkpoints as
 * C2SP signed notes (Ed25519), C2SP tlog-cosignatures with a witness policy, and {@link
 * org.privateprocessing.tlog.LogFile}, the durable append-only store of entries.
 *
 * <p>Pure Java and BouncyCastle; nothing here knows Vert.x. Every failed check is a {@link
 * org.privateprocessing.tlog.TlogException} whose message names the check, never key material or
 * entry content.
 */
package org.privateprocessing.tlog;
