package net.tinyisp.dns.doh;

import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import net.tinyisp.dns.tls.EncryptedDnsDrop;

/**
 * Turns one HTTP request for {@code /dns-query} into the DNS query it carries, or the status that refuses it
 * (RFC 8484 §4.1). Pure: no I/O, so every status is a unit test.
 */
public final class DohRequest {
  public static final String DNS_MESSAGE = "application/dns-message";
  public static final int MAX_MESSAGE = 65535;
  private static final int DNS_HEADER = 12;

  private DohRequest() {}

  /** What the request amounts to: a query to answer, or a refusal with its status. */
  public sealed interface Decoded permits Query, Refusal {}

  public record Query(byte[] message) implements Decoded {}

  public record Refusal(int status, EncryptedDnsDrop reason, String why) implements Decoded {}

  public static Decoded decode(String method, Map<String, String> params, String contentType, byte[] body) {
    switch (method) {
      case "GET" -> {
        String ct = params.get("ct");
        // the older form ?ct=application/dns-message&dns=... that existing scripts send
        if (ct != null && !ct.isEmpty() && !mediaType(ct).equals(DNS_MESSAGE)) {
          return new Refusal(415, EncryptedDnsDrop.HTTP_UNSUPPORTED_TYPE, "ct must be " + DNS_MESSAGE);
        }
        String dns = params.get("dns");
        if (dns == null || dns.isEmpty()) {
          return new Refusal(400, EncryptedDnsDrop.HTTP_BAD_REQUEST, "missing dns parameter");
        }
        if (dns.length() > (MAX_MESSAGE * 4 + 2) / 3) {
          return new Refusal(413, EncryptedDnsDrop.HTTP_TOO_LARGE, "dns parameter longer than a DNS message");
        }
        byte[] message;
        try {
          // RFC 8484 §4.1: base64url without padding (RFC 4648 §5); a padded form is tolerated
          message = Base64.getUrlDecoder().decode(dns);
        } catch (IllegalArgumentException e) {
          return new Refusal(400, EncryptedDnsDrop.HTTP_BAD_REQUEST, "dns is not base64url");
        }
        return checked(message);
      }
      case "POST" -> {
        if (contentType == null || !mediaType(contentType).equals(DNS_MESSAGE)) {
          return new Refusal(415, EncryptedDnsDrop.HTTP_UNSUPPORTED_TYPE, "Content-Type must be " + DNS_MESSAGE);
        }
        if (body.length > MAX_MESSAGE) {
          return new Refusal(413, EncryptedDnsDrop.HTTP_TOO_LARGE, "body longer than a DNS message");
        }
        return checked(body);
      }
      default -> {
        return new Refusal(405, EncryptedDnsDrop.HTTP_METHOD, "use GET or POST");
      }
    }
  }

  private static Decoded checked(byte[] message) {
    if (message.length < DNS_HEADER || !WireShape.isQuery(message)) {
      return new Refusal(400, EncryptedDnsDrop.HTTP_BAD_REQUEST, "not a well-formed DNS query");
    }
    return new Query(message);
  }

  /** {@code application/dns-message; charset=x} -> {@code application/dns-message}, lower case. */
  static String mediaType(String header) {
    int semi = header.indexOf(';');
    return (semi < 0 ? header : header.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
  }
}
