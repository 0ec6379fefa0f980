/**
 * The transparency log's building blocks: RFC 9162 Merkle hashing, an append-only {@link
 * org.privateprocessing.tlog.MerkleTree} with inclusion and consistency proofs (and their JSON
 * form), C2SP signed-note checkpoints (Ed25519) and tlog-cosignatures with a witness policy, the
 * durable entry store {@link org.privateprocessing.tlog.LogFile}, and secret key files.
 *
 * <p>Pure Java, BouncyCastle and Jackson, no Vert.x; imports only {@code ohttp}, never a role,
 * {@code logclient}, {@code client} or {@code cli}. Every failed check is a {@link
 * org.privateprocessing.tlog.TlogException} naming the check, never key material or entry content.
 */
package org.privateprocessing.tlog;
