package net.tinyisp.dns.encrypted;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import net.tinyisp.dns.tls.CertificateFiles;
import net.tinyisp.dns.tls.SelfSignedCertificate;

/** Test certificates (BouncyCastle, via the production self-signed writer) and a JDK client that trusts them. */
public final class TestTls {
  private TestTls() {}

  public static CertificateFiles certificate(Path dir) throws IOException {
    return SelfSignedCertificate.write(dir, "localhost", List.of("localhost"),
        List.of(InetAddress.getLoopbackAddress(), InetAddress.getByName("::1")), Duration.ofDays(2));
  }

  public static SSLContext trusting(CertificateFiles files) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    X509Certificate[] chain = files.load().chain();
    ks.setCertificateEntry("ca", chain[0]);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  public static SSLSocket connect(SSLContext ctx, int port) throws IOException {
    java.net.Socket raw = new java.net.Socket(InetAddress.getByName("127.0.0.1"), port);
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, "localhost", port, true);
    javax.net.ssl.SSLParameters params = s.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    s.setSSLParameters(params);
    s.setSoTimeout(5000);
    s.startHandshake();
    return s;
  }
}
