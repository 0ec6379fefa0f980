package org.privateprocessing.tlog;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** BouncyCastle Ed25519 sign and verify, in one place. */
final class Ed25519Keys {
  static final int SEED_LENGTH = Ed25519PrivateKeyParameters.KEY_SIZE;
  static final int PUBLIC_LENGTH = Ed25519PublicKeyParameters.KEY_SIZE;
  static final int SIGNATURE_LENGTH = Ed25519PrivateKeyParameters.SIGNATURE_SIZE;

  private Ed25519Keys() {}

  static byte[] sign(Ed25519PrivateKeyParameters key, byte[] message) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, key);
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  static boolean verify(Ed25519PublicKeyParameters key, byte[] message, byte[] signature) {
    if (signature == null || signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, key);
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(signature);
  }

  static Ed25519PublicKeyParameters publicKey(byte[] raw) throws TlogException {
    if (raw.length != PUBLIC_LENGTH) {
      throw NoteKeys.malformed("Ed25519 public key is " + raw.length + " bytes, expected 32");
    }
    try {
      return new Ed25519PublicKeyParameters(raw, 0);
    } catch (IllegalArgumentException e) {
      throw NoteKeys.malformed("Ed25519 public key is invalid");
    }
  }
}
