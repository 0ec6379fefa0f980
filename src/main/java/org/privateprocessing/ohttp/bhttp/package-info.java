/**
 * Binary HTTP messages (RFC 9292), the inner format of Oblivious HTTP requests and responses.
 *
 * <p>Parsers are strict (RFC 9292 section 4): every length is checked against the remaining input
 * before anything is allocated, field counts are capped, and only zero padding may follow a
 * message. Encoders always produce the known-length form.
 */
package org.privateprocessing.ohttp.bhttp;
