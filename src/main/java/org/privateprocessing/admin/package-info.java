/**
 * The admin listener of a node: {@code GET /health/live}, {@code GET /health/ready} (the readiness
 * checks of the roles the node runs) and {@code GET /metrics} (Prometheus text), on its own port,
 * {@code 127.0.0.1:9090} by default (docs/OPERATIONS.md). {@link
 * org.privateprocessing.admin.Readiness} decides what a set of check outcomes means, without
 * Vert.x; {@link org.privateprocessing.admin.AdminListener} serves it. Imports {@code core} only;
 * {@code node} starts it.
 */
package org.privateprocessing.admin;
