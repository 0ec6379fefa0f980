/**
 * The enclave API's wire types (DESIGN.md section 3): one record per JSON message ({@code
 * SummarizeRequest}, {@code SuggestResponse}, {@code Problem} ...), read strictly by {@link
 * org.privateprocessing.api.Json} (a failure names the field), with the API's limits ({@code
 * ApiLimits}) and paths ({@code ApiPaths}).
 *
 * <p>Shared by the client, the gateway (paths only), the enclave and the models. Imports nothing of
 * the project (Jackson only): it knows no role, no transport and no cryptography.
 */
package org.privateprocessing.api;
