package net.tinyisp.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What a route answers: status, content type and body. JSON for the API, text for metrics, HTML for the page. */
public record AdminResponse(int status, String contentType, byte[] body) {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static AdminResponse json(int status, Object value) {
    try {
      return new AdminResponse(status, "application/json", JSON.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      return error(500, "cannot render the answer: " + e.getOriginalMessage());
    }
  }

  public static AdminResponse json(Object value) {
    return json(200, value);
  }

  public static AdminResponse text(int status, String contentType, String body) {
    return new AdminResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  public static AdminResponse error(int status, String message) {
    return json(status, Map.of("error", message));
  }
}
