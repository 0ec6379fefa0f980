package org.privateprocessing.enclave;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.privateprocessing.attest.SimulatedSnpProvider;
import org.privateprocessing.core.KeyDirectory;
import org.privateprocessing.core.KeyDirectory.KeyFile;

/**
 * The demo's simulated ARK and ASK, kept in one owner-only key file ({@value #TYPE}) in the data
 * directory, so the trust fragments handed out (which pin the root) stay valid across restarts.
 * Every enclave of the data directory signs its per-process VCEK with this root; two enclaves
 * starting at once make it once (the second reads the first one's). Demo only: a real platform's
 * root is AMD's.
 */
final class SimulatedRootFile {
  /** Key file type of the simulated root. */
  static final String TYPE = "simulated-amd-root";

  private SimulatedRootFile() {}

  /**
   * The root in {@code dir}, made there first if there is none. Blocking (RSA-4096 generation the
   * first time).
   *
   * @throws IllegalStateException naming the file and the fix when it is unreadable, damaged, of
   *     another type or readable by others; nothing is changed then
   */
  static SimulatedSnpProvider.Root readOrCreate(Path dir, SecureRandom random, Instant now)
      throws IOException {
    KeyDirectory keys = new KeyDirectory(dir, Set.of(TYPE));
    List<KeyFile> files = keys.readAll();
    if (files.isEmpty()) {
      SimulatedSnpProvider.Root fresh = SimulatedSnpProvider.newRoot(random, now);
      try {
        keys.create(
            new KeyFile(
                TYPE,
                0,
                now,
                fresh.ark().getNotBefore().toInstant(),
                fresh.ark().getNotAfter().toInstant(),
                List.of(
                    fresh.arkKeys().getPrivate().getEncoded(),
                    fresh.askKeys().getPrivate().getEncoded()),
                List.of(fresh.ark().getEncoded(), fresh.ask().getEncoded())),
            random);
      } catch (java.security.cert.CertificateEncodingException e) {
        throw new IllegalStateException("cannot encode the simulated root", e);
      }
      files = keys.readAll();
    }
    if (files.size() != 1) {
      throw new IllegalStateException(
          "the simulated root directory "
              + dir
              + " holds "
              + files.size()
              + " key files; keep only "
              + TYPE
              + "-0.key");
    }
    KeyFile f = files.get(0);
    Path path = dir.resolve(f.fileName());
    if (f.secrets().size() != 2 || f.publics().size() != 2) {
      throw KeyDirectory.damaged(path, "it does not hold two keys and two certificates");
    }
    try {
      CertificateFactory x509 = CertificateFactory.getInstance("X.509");
      X509Certificate ark =
          (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(f.publics().get(0)));
      X509Certificate ask =
          (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(f.publics().get(1)));
      return SimulatedSnpProvider.Root.of(f.secrets().get(0), f.secrets().get(1), ark, ask);
    } catch (CertificateException | IllegalArgumentException | ClassCastException e) {
      throw KeyDirectory.damaged(path, "its root does not check: " + e.getMessage());
    }
  }
}
