package net.tinyisp.nat64.steps;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects golden outputs so {@link TsharkCrossCheckTest} can decode them with tshark. */
final class PcapCheck {
  static final Map<String, byte[]> PACKETS = new LinkedHashMap<>();

  private PcapCheck() {}

  static synchronized void record(String name, byte[] packet) {
    PACKETS.put(name, packet.clone());
  }

  static synchronized List<byte[]> all() {
    return new ArrayList<>(PACKETS.values());
  }
}
