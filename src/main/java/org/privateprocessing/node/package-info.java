/**
 * Composes the roles into a running JVM: {@code Node} starts what {@code serve --role X} asks for,
 * or every role for a one-JVM demo, in dependency order (log, issuer, enclave, gateway, relay);
 * {@code Role} names the roles; {@code ClusterSetup} starts a Hazelcast cluster (loopback by
 * default; across hosts with the event bus over mutual TLS: {@code ClusterOptions}, {@code
 * ClusterTls}, credentials from {@code ClusterCredentials}); {@code LogMaintenance} runs the log's
 * operator commands ({@code log recover}) for the CLI.
 *
 * <p>The one package that imports the role packages (with {@code core}, {@code logclient} and
 * {@code infer}); no role, no protocol package and not {@code client} imports it.
 */
package org.privateprocessing.node;
