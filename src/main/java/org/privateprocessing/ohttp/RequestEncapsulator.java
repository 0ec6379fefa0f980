package org.privateprocessing.ohttp;

import java.security.SecureRandom;
import java.util.Objects;

/** Client side of request encapsulation (RFC 9458 section 4.3). Stateless. */
public final class RequestEncapsulator {
  private RequestEncapsulator() {}

  /** Encapsulates a Binary HTTP request for {@code config} using {@code suite}. */
  public static EncapsulatedRequest encapsulate(
      KeyConfig config, SymmetricSuite suite, byte[] request, SecureRandom random)
      throws OhttpException {
    return encapsulate(
        config,
        suite,
        request,
        random,
        MediaTypes.BHTTP_REQUEST_LABEL,
        MediaTypes.BHTTP_RESPONSE_LABEL);
  }

  /** As above with the suite chosen by {@link KeyConfigs#preferredSuite}. */
  public static EncapsulatedRequest encapsulate(
      KeyConfig config, byte[] request, SecureRandom random) throws OhttpException {
    Objects.requireNonNull(config, "config");
    SymmetricSuite suite =
        KeyConfigs.preferredSuite(config)
            .orElseThrow(
                () ->
                    new OhttpException(
                        OhttpException.Reason.UNSUPPORTED_SUITE,
                        "key " + config.keyId() + " offers no supported suite"));
    return encapsulate(config, suite, request, random);
  }

  /** Custom request label; the response uses {@value MediaTypes#BHTTP_RESPONSE_LABEL}. */
  public static EncapsulatedRequest encapsulate(
      KeyConfig config, SymmetricSuite suite, byte[] request, SecureRandom random, String label)
      throws OhttpException {
    return encapsulate(config, suite, request, random, label, MediaTypes.BHTTP_RESPONSE_LABEL);
  }

  /** Custom request and response labels (RFC 9458 sections 4.3 and 4.4). */
  public static EncapsulatedRequest encapsulate(
      KeyConfig config,
      SymmetricSuite suite,
      byte[] request,
      SecureRandom random,
      String requestLabel,
      String responseLabel)
      throws OhttpException {
    Objects.requireNonNull(random, "random");
    return encapsulate(config, suite, request, requestLabel, responseLabel, null, random);
  }

  /**
   * Encapsulates with a fixed ephemeral key, for test vectors only: the X25519 private key skE (32
   * bytes), or for X-Wing the 64-byte encapsulation seed. Never reuse an ephemeral key.
   */
  public static EncapsulatedRequest encapsulateWithEphemeralKey(
      KeyConfig config, SymmetricSuite suite, byte[] request, byte[] ephemeralPrivateKey)
      throws OhttpException {
    Objects.requireNonNull(ephemeralPrivateKey, "ephemeralPrivateKey");
    return encapsulate(
        config,
        suite,
        request,
        MediaTypes.BHTTP_REQUEST_LABEL,
        MediaTypes.BHTTP_RESPONSE_LABEL,
        ephemeralPrivateKey,
        null);
  }

  private static EncapsulatedRequest encapsulate(
      KeyConfig config,
      SymmetricSuite suite,
      byte[] request,
      String requestLabel,
      String responseLabel,
      byte[] ephemeral,
      SecureRandom random)
      throws OhttpException {
    Objects.requireNonNull(request, "request");
    Encapsulation.SenderSetup setup =
        Encapsulation.setUpSender(config, suite, requestLabel, responseLabel, ephemeral, random);
    byte[] header = setup.header();
    Hpke.Sender sender = setup.sender();
    byte[] ct = sender.context.seal(new byte[0], request);
    byte[] out = new byte[header.length + sender.enc.length + ct.length];
    System.arraycopy(header, 0, out, 0, header.length);
    System.arraycopy(sender.enc, 0, out, header.length, sender.enc.length);
    System.arraycopy(ct, 0, out, header.length + sender.enc.length, ct.length);
    return new EncapsulatedRequest(
        out, new ResponseOpener(sender.context, sender.enc, suite, responseLabel));
  }
}
