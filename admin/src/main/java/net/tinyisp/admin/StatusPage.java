package net.tinyisp.admin;

import java.util.Collection;
import java.util.Map;
import net.tinyisp.common.lifecycle.Service.Health;

/** The operator's one-look page: which services run, and links to the API and metrics. Static HTML, no scripts. */
final class StatusPage {
  private StatusPage() {}

  static String render(Map<String, Health> health, Collection<String> routes) {
    StringBuilder sb = new StringBuilder(2048);
    sb.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>tinyisp</title>")
        .append("<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}")
        .append("td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}.up{color:#070}.down{color:#b00}")
        .append("</style></head><body><h1>tinyisp</h1><h2>Services</h2><table><tr><th>service</th><th>state</th><th>detail</th></tr>");
    health.forEach((name, h) -> sb.append("<tr><td>").append(esc(name)).append("</td><td class=\"")
        .append(h.healthy() ? "up\">up" : "down\">down").append("</td><td>").append(esc(h.detail())).append("</td></tr>"));
    sb.append("</table><h2>API</h2><ul><li><a href=\"/health\">GET /health</a></li><li><a href=\"/metrics\">GET /metrics</a></li>");
    for (String r : routes) {
      String path = r.substring(r.indexOf(' ') + 1);
      sb.append("<li>").append(r.startsWith("GET ") ? "<a href=\"" + esc(path) + "\">" + esc(r) + "</a>" : esc(r)).append("</li>");
    }
    return sb.append("</ul></body></html>").toString();
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
