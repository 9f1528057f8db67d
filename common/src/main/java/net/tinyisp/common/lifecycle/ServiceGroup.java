package net.tinyisp.common.lifecycle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts services in order and stops them in reverse. If one fails to start, the ones already started are closed
 * before the failure is rethrown, so a bad config never leaves half a system listening.
 */
public final class ServiceGroup implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceGroup.class);
  private final List<Service> services = new ArrayList<>();
  private final List<Service> started = new ArrayList<>();

  public ServiceGroup add(Service s) {
    services.add(s);
    return this;
  }

  public List<Service> services() {
    return Collections.unmodifiableList(services);
  }

  public void start() throws Exception {
    for (Service s : services) {
      try {
        s.start();
        started.add(s);
        log.atInfo().addKeyValue("service", s.name()).log("started");
      } catch (Exception e) {
        log.atError().addKeyValue("service", s.name()).addKeyValue("error", e.getMessage()).log("start failed");
        close();
        throw e;
      }
    }
  }

  public Map<String, Service.Health> health() {
    Map<String, Service.Health> out = new LinkedHashMap<>();
    for (Service s : services) {
      out.put(s.name(), started.contains(s) ? s.health() : Service.Health.down("not started"));
    }
    return out;
  }

  @Override
  public synchronized void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      Service s = started.get(i);
      try {
        s.close();
        log.atInfo().addKeyValue("service", s.name()).log("stopped");
      } catch (RuntimeException e) {
        log.atWarn().addKeyValue("service", s.name()).addKeyValue("error", e.toString()).log("stop failed");
      }
    }
    started.clear();
  }
}
