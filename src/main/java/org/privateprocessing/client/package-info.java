/**
 * The client SDK, the device end of the path client -> relay -> gateway -> enclave: {@link
 * org.privateprocessing.client.PrivateProcessingClient} seals each request twice (to an enclave
 * whose evidence it verified, then to the gateway) and sends it to the relay only; {@link
 * org.privateprocessing.client.TokenWallet} gets Privacy Pass tokens from the issuer; {@link
 * org.privateprocessing.client.EnclaveTrust} and {@link org.privateprocessing.client.LogTrust}
 * decide which enclaves and keys to believe.
 *
 * <p>Imports the protocol packages and {@code api} only: never {@code core}, a role or {@code
 * node}, so it holds nothing a device would not ship.
 */
package org.privateprocessing.client;
