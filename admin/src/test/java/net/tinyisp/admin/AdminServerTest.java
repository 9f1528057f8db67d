package net.tinyisp.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.tinyisp.common.lifecycle.Service.Health;
import net.tinyisp.common.metrics.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {
  private final Map<String, Health> health = new LinkedHashMap<>();
  private AdminServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private String base;

  @BeforeEach
  void start() throws Exception {
    Metrics metrics = new Metrics();
    metrics.registry().counter("tinyisp_test_things_total").increment(3);
    health.put("dns64", Health.ok());
    server = new AdminServer(new AdminConfig(List.of("127.0.0.1:0"), true), metrics, () -> health);
    server.route("GET", "/api/echo", r -> AdminResponse.json(Map.of("q", r.param("q"))));
    server.route("POST", "/api/fail", r -> { throw new IllegalArgumentException("bad user"); });
    server.start();
    base = "http://127.0.0.1:" + server.boundPorts().getFirst();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthIsOkWhileEveryServiceIsUpAnd503Otherwise() throws Exception {
    assertThat(get("/health").statusCode()).isEqualTo(200);
    assertThat(get("/health").body()).contains("\"status\" : \"ok\"");
    health.put("nat64", Health.down("tun gone"));
    HttpResponse<String> r = get("/health");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("tun gone");
  }

  @Test
  void metricsArePrometheusText() throws Exception {
    HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(r.body()).contains("tinyisp_test_things_total 3.0");
  }

  @Test
  void routesErrorsAndThePage() throws Exception {
    assertThat(get("/api/echo?q=hi").body()).contains("\"q\" : \"hi\"");
    assertThat(get("/nope").statusCode()).isEqualTo(404);
    HttpResponse<String> fail = http.send(HttpRequest.newBuilder(URI.create(base + "/api/fail"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(fail.statusCode()).isEqualTo(400);
    assertThat(fail.body()).contains("bad user");
    assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api/fail")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
    assertThat(get("/").body()).contains("<h1>tinyisp</h1>").contains("dns64");
  }
}
