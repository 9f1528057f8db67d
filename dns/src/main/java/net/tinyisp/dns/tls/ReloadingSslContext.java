package net.tinyisp.dns.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server TLS context of one listener kind (DoT with ALPN {@code dot}, DoH with {@code h2} and
 * {@code http/1.1}), rebuilt when the PEM files change (certificate renewal). New connections take
 * {@link #current()}; open connections keep the SSLEngine they were created with, so a reload drops nothing.
 */
public final class ReloadingSslContext {
  private static final Logger log = LoggerFactory.getLogger(ReloadingSslContext.class);

  private final CertificateFiles files;
  private final List<String> alpn;
  private final AtomicReference<SslContext> current = new AtomicReference<>();
  private volatile String fingerprint;

  public ReloadingSslContext(CertificateFiles files, List<String> alpn) throws IOException {
    this.files = files;
    this.alpn = List.copyOf(alpn);
    this.fingerprint = files.fingerprint();
    current.set(build());
  }

  public SslContext current() {
    return current.get();
  }

  public CertificateFiles files() {
    return files;
  }

  /**
   * Rebuilds the context when the files' mtimes or sizes changed. A half-renewed set of files (key and cert not
   * matching yet, or a file missing) keeps the old context and is retried on the next check.
   *
   * @return true when a new context was installed
   */
  public boolean reloadIfChanged() {
    String now = files.fingerprint();
    if (now.equals(fingerprint)) {
      return false;
    }
    try {
      SslContext next = build();
      current.set(next);
      fingerprint = now;
      log.info("reloaded TLS certificate {} for ALPN {}", files.cert(), alpn);
      return true;
    } catch (IOException | RuntimeException e) {
      log.warn("certificate files changed but cannot be loaded yet, keeping the old one: {}", e.getMessage());
      return false;
    }
  }

  private SslContext build() throws IOException {
    CertificateFiles.Loaded loaded = files.load();
    SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    try {
      return SslContextBuilder.forServer(loaded.key(), loaded.chain())
          .sslProvider(provider)
          .protocols("TLSv1.3", "TLSv1.2")
          .ciphers(null, SupportedCipherSuiteFilter.INSTANCE)
          // clients without ALPN (kdig, older stubs) are still served: no advertisement failure is fatal
          .applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
              SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT, alpn))
          .build();
    } catch (javax.net.ssl.SSLException e) {
      throw new IOException(files.cert() + ": " + e.getMessage(), e);
    }
  }

  /** Which TLS library serves: reported in the start log line. */
  public static String providerName() {
    return OpenSsl.isAvailable() ? "BoringSSL (netty-tcnative " + OpenSsl.versionString() + ")" : "JDK";
  }
}
