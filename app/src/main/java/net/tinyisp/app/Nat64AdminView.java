package net.tinyisp.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.tinyisp.nat64.Nat64View;
import net.tinyisp.nat64.config.StaticBibEntry;

/** {@link Nat64View} of a running gateway through its admin API, for {@code tinyisp nat64 bib ...}. */
public final class Nat64AdminView implements Nat64View {
  private final String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final ObjectMapper json = new ObjectMapper();

  public Nat64AdminView(String hostPort) {
    this.base = "http://" + hostPort + "/api/nat64/";
  }

  private JsonNode call(String method, String path) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
          .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = json.readTree(r.body());
      if (r.statusCode() >= 400 && r.statusCode() != 404 && r.statusCode() != 409) {
        throw new IllegalStateException("admin API: " + body.path("error").asText(r.body()));
      }
      return r.statusCode() >= 400 ? null : body;
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot reach the admin API at " + base + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public List<BibRow> bib(String protocol) {
    List<BibRow> out = new ArrayList<>();
    for (JsonNode n : call("GET", "bib" + (protocol == null ? "" : "?protocol=" + q(protocol))).get("bib")) {
      out.add(new BibRow(n.get("protocol").asText(), n.get("ipv6").asText(), n.get("ipv4").asText(),
          n.get("isStatic").asBoolean(), n.get("sessions").asInt()));
    }
    return out;
  }

  @Override
  public List<SessionRow> sessions(String protocol) {
    List<SessionRow> out = new ArrayList<>();
    for (JsonNode n : call("GET", "sessions" + (protocol == null ? "" : "?protocol=" + q(protocol))).get("sessions")) {
      out.add(new SessionRow(n.get("protocol").asText(), n.get("ipv6").asText(), n.get("ipv4").asText(),
          n.get("remote4").asText(), n.get("remote6").asText(), n.get("state").asText(), n.get("expiresInSeconds").asLong()));
    }
    return out;
  }

  @Override
  public List<Pool4Use> pool4() {
    List<Pool4Use> out = new ArrayList<>();
    for (JsonNode n : call("GET", "pool4").get("pool4")) {
      out.add(new Pool4Use(n.get("protocol").asText(), n.get("capacity").asInt(), n.get("inUse").asInt()));
    }
    return out;
  }

  @Override
  public boolean addStatic(StaticBibEntry entry) {
    return call("POST", "bib?entry=" + q(entry.toString())) != null;
  }

  @Override
  public boolean removeStatic(StaticBibEntry entry) {
    return call("DELETE", "bib?entry=" + q(entry.toString())) != null;
  }
}
