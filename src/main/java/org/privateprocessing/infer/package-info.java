/**
 * The models an enclave runs behind {@link org.privateprocessing.infer.Model}: the embedded one
 * ({@link org.privateprocessing.infer.TextRankSummarizer} and the rule-based {@link
 * org.privateprocessing.infer.WritingAssistant}), an OpenAI-compatible model server, and a fallback
 * from one to the other; and the tools that measure summaries ({@link
 * org.privateprocessing.infer.Rouge}, {@link org.privateprocessing.infer.SummaryEvaluation}).
 *
 * <p>Works on decrypted, validated {@code api} records and imports nothing else of the project: no
 * cryptography (BouncyCastle, {@code java.security}, {@code javax.crypto}, {@code ohttp}, {@code
 * token}, {@code attest}) and no role. Nothing here logs content or keeps a request.
 */
package org.privateprocessing.infer;
