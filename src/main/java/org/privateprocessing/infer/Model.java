package org.privateprocessing.infer;

import java.util.List;
import org.privateprocessing.api.ModelInfo;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.Suggestion;
import org.privateprocessing.api.SummarizeRequest;

/**
 * The AI tasks an enclave runs on a decrypted, validated request. Implementations keep nothing
 * of a request after returning, log no content, and are safe to call from several threads.
 */
public interface Model {
    /** Name and version, reported in every response. */
    ModelInfo info();

    /** Summary of the request's messages in at most {@code request.maxSentences()} sentences. */
    Summary summarize(SummarizeRequest request);

    /** One to three rewordings of the draft in the requested tone, best first; never empty. */
    List<Suggestion> suggest(SuggestRequest request);
}
