/**
 * The command line ({@code private-processing.jar}, picocli): {@code serve} runs roles through
 * {@code node}; the client commands ({@code summarize}, {@code suggest}, {@code token}, {@code
 * demo}, {@code loadtest}, {@code bench}) use the {@code client} SDK; the auditor's and operator's
 * tools ({@code attest}, {@code audit}, {@code release}, {@code witness}, {@code eval-summaries})
 * use the protocol packages, {@code logclient} and {@code infer}.
 *
 * <p>May import {@code node}, {@code client}, {@code logclient}, {@code core}, the protocol
 * packages, {@code api} and {@code infer}; never a role package: it reaches servers only through
 * {@code node} and their public HTTP APIs.
 */
package org.privateprocessing.cli;
