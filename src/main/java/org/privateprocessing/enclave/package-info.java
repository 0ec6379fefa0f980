/**
 * The enclave, last stage of the path client -> relay -> gateway -> enclave: it proves what it runs
 * (SEV-SNP evidence binding its keys, announced to gateways), checks that a request was sealed to
 * its live key, opens the inner OHTTP layer, runs the enclave API on a model from {@code infer} and
 * seals the answer for the one client that asked; its RA-TLS listener serves the same API, under
 * the same token, in-flight and body rules, to callers who verified it in the handshake and bound
 * the session. The only stage that sees content: plaintext never leaves its JVM, is never logged
 * and is not kept after the answer.
 *
 * <p>May import {@code core}, the protocol packages, {@code api} and {@code infer}; never another
 * role, {@code logclient}, {@code node}, {@code client} or {@code cli}.
 */
package org.privateprocessing.enclave;
