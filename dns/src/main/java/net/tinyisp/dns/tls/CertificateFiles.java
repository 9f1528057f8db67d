package net.tinyisp.dns.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A certificate chain and its private key read from PEM files as Let's Encrypt lays them out: {@code fullchain.pem}
 * + {@code privkey.pem}, or {@code cert.pem} + {@code chain.pem} + {@code privkey.pem}. The key may be PKCS#8,
 * PKCS#1 (RSA) or SEC1 (EC): certbot has written all three over the years.
 */
public record CertificateFiles(Path cert, Path key, Path chain) {

  public record Loaded(X509Certificate[] chain, PrivateKey key) {}

  /** mtimes and sizes of the files; a change means renewal happened. */
  public String fingerprint() {
    StringBuilder sb = new StringBuilder();
    for (Path p : chain == null ? List.of(cert, key) : List.of(cert, key, chain)) {
      try {
        sb.append(Files.getLastModifiedTime(p).toMillis()).append('/').append(Files.size(p)).append(';');
      } catch (IOException e) {
        sb.append("missing;");
      }
    }
    return sb.toString();
  }

  public Loaded load() throws IOException {
    List<X509Certificate> certs = new ArrayList<>(readCertificates(cert));
    if (chain != null) {
      certs.addAll(readCertificates(chain));
    }
    if (certs.isEmpty()) {
      throw new IOException(cert + ": no CERTIFICATE block found");
    }
    return new Loaded(certs.toArray(X509Certificate[]::new), readKey(key));
  }

  private static List<X509Certificate> readCertificates(Path file) throws IOException {
    List<X509Certificate> out = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (Reader r = Files.newBufferedReader(file); PEMParser parser = new PEMParser(r)) {
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof X509CertificateHolder holder) {
          out.add(converter.getCertificate(holder));
        }
      }
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": no such file", e);
    } catch (CertificateException e) {
      throw new IOException(file + ": bad certificate: " + e.getMessage(), e);
    }
    return out;
  }

  private static PrivateKey readKey(Path file) throws IOException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (Reader r = Files.newBufferedReader(file); PEMParser parser = new PEMParser(r)) {
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo()); // SEC1 may omit the public key
        }
      }
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": no such file", e);
    }
    throw new IOException(file + ": no unencrypted PRIVATE KEY block found");
  }
}
