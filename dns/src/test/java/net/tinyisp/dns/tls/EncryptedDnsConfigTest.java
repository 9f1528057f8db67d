package net.tinyisp.dns.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.tinyisp.common.config.ConfigException;
import net.tinyisp.common.config.ConfigLoader;
import net.tinyisp.common.metrics.Metrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptedDnsConfigTest {
  static EncryptedDnsConfig yaml(String text) {
    return new ConfigLoader().read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test.yaml",
        EncryptedDnsConfig.class);
  }

  @Test
  void yamlWithDefaults() {
    EncryptedDnsConfig c = yaml("""
        dot: ["127.0.0.1:853", "[::1]"]
        doh: ["127.0.0.1:443"]
        doh-plain: ["127.0.0.1:8080"]
        cert: /etc/letsencrypt/live/dns.example/fullchain.pem
        key: /etc/letsencrypt/live/dns.example/privkey.pem
        trusted-proxy: ["127.0.0.1", "2001:db8::/32"]
        """);
    assertThat(c.dotListen()).hasSize(2);
    assertThat(c.dotListen().get(1).port()).isEqualTo(853);
    assertThat(c.idleTimeoutSeconds()).isEqualTo(30);
    assertThat(c.maxConcurrentStreams()).isEqualTo(100);
    assertThat(c.trustedProxies()).hasSize(2);
    assertThat(c.certificateFiles().key().toString()).endsWith("privkey.pem");
  }

  @Test
  void badValuesFailWithTheLine() {
    assertThatThrownBy(() -> yaml("dot: [\"localhost:853\"]\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("literal");
    assertThatThrownBy(() -> yaml("cert: /x.pem\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("cert and key");
    assertThatThrownBy(() -> yaml("idle-timeout-seconds: 0\n")).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> yaml("trusted-proxy: [\"10.0.0.1/8\"]\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("host bits");
  }

  @Test
  void withoutCertificateASelfSignedOneIsGeneratedUnderTheDataDir(@TempDir Path dir) throws Exception {
    EncryptedDnsService s = new EncryptedDnsService(EncryptedDnsConfig.of(List.of("127.0.0.1:0"), null, null, null,
        null, null, dir.toString()), (q, ctx) -> java.util.concurrent.CompletableFuture.completedFuture(null),
        new Metrics());
    try {
      s.start();
      assertThat(Files.readString(dir.resolve("tls/fullchain.pem"))).contains("BEGIN CERTIFICATE");
      assertThat(Files.readString(dir.resolve("tls/privkey.pem"))).contains("BEGIN PRIVATE KEY");
      assertThat(s.dotAddresses()).hasSize(1);
    } finally {
      s.close();
    }
  }

  @Test
  void letsEncryptCertPlusChainLayoutLoads(@TempDir Path dir) throws Exception {
    // cert.pem (leaf signed by an intermediate) + chain.pem (the intermediate) + privkey.pem, as in live/NAME/
    java.security.KeyPairGenerator gen = java.security.KeyPairGenerator.getInstance("EC");
    gen.initialize(256);
    java.security.KeyPair caKeys = gen.generateKeyPair();
    java.security.KeyPair leafKeys = gen.generateKeyPair();
    var ca = cert("CN=R3", "CN=R3", caKeys.getPublic(), caKeys.getPrivate(), true);
    var leaf = cert("CN=R3", "CN=dns.example", leafKeys.getPublic(), caKeys.getPrivate(), false);
    Files.writeString(dir.resolve("cert.pem"), pem(leaf));
    Files.writeString(dir.resolve("chain.pem"), pem(ca));
    Files.writeString(dir.resolve("privkey.pem"), pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(
        leafKeys.getPrivate(), null).generate()));
    CertificateFiles split = new CertificateFiles(dir.resolve("cert.pem"), dir.resolve("privkey.pem"),
        dir.resolve("chain.pem"));
    assertThat(split.load().chain()).hasSize(2);
    assertThat(new ReloadingSslContext(split, List.of("dot")).current()).isNotNull();
  }

  static org.bouncycastle.cert.X509CertificateHolder cert(String issuer, String subject,
      java.security.PublicKey key, java.security.PrivateKey signer, boolean ca) throws Exception {
    var b = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
        new org.bouncycastle.asn1.x500.X500Name(issuer), java.math.BigInteger.valueOf(System.nanoTime()),
        new java.util.Date(System.currentTimeMillis() - 3600_000), new java.util.Date(System.currentTimeMillis()
        + 86_400_000), new org.bouncycastle.asn1.x500.X500Name(subject), key);
    b.addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true,
        new org.bouncycastle.asn1.x509.BasicConstraints(ca));
    return b.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(signer));
  }

  static String pem(Object o) throws Exception {
    var sw = new java.io.StringWriter();
    try (var w = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(sw)) {
      w.writeObject(o);
    }
    return sw.toString();
  }
}
