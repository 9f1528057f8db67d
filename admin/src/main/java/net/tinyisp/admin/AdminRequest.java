package net.tinyisp.admin;

import java.util.List;
import java.util.Map;

/** One API call as a route sees it: method, path, decoded query parameters and the raw body (JSON for writes). */
public record AdminRequest(String method, String path, Map<String, List<String>> query, byte[] body) {

  public String param(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.getFirst();
  }
}
