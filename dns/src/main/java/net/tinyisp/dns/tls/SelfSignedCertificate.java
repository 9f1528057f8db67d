package net.tinyisp.dns.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The embedded default when no certificate is configured: an ECDSA P-256 self-signed certificate for the given
 * names and addresses, written as {@code fullchain.pem} + {@code privkey.pem} so it has the Let's Encrypt layout.
 * Also used by tests (two calls give two different certificates, which the reload test needs).
 */
public final class SelfSignedCertificate {
  private SelfSignedCertificate() {}

  /** Writes {@code dir/fullchain.pem} and {@code dir/privkey.pem} (0600) and returns them. */
  public static CertificateFiles write(Path dir, String commonName, List<String> dnsNames,
      List<InetAddress> addresses, Duration validity) throws IOException {
    Files.createDirectories(dir);
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair pair = gen.generateKeyPair();
      Instant now = Instant.now();
      X500Name subject = new X500Name("CN=" + commonName);
      JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject,
          new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
          Date.from(now.plus(validity)), subject, pair.getPublic());
      List<GeneralName> san = new ArrayList<>();
      for (String n : dnsNames) san.add(new GeneralName(GeneralName.dNSName, n));
      for (InetAddress a : addresses) san.add(new GeneralName(GeneralName.iPAddress, a.getHostAddress()));
      if (!san.isEmpty()) {
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san.toArray(GeneralName[]::new)));
      }
      // self-signed and used as its own trust anchor by `--ca`: mark it a CA so every verifier accepts it
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      X509CertificateHolder cert = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
      Path certFile = dir.resolve("fullchain.pem");
      Path keyFile = dir.resolve("privkey.pem");
      writeAtomically(keyFile, pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate()), true); // PKCS#8, as certbot writes
      writeAtomically(certFile, pem(cert), false);
      return new CertificateFiles(certFile, keyFile, null);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot generate a self-signed certificate: " + e.getMessage(), e);
    }
  }

  private static String pem(Object o) throws IOException {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(o);
    }
    return sw.toString();
  }

  /** Write-then-rename so a reload never reads a half-written file. */
  private static void writeAtomically(Path file, String text, boolean secret) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    if (secret) {
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system: nothing to tighten
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
