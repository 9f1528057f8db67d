package net.tinyisp.pppoe.aaa;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicIntegerArray;
import net.tinyisp.radius.client.RadiusClient;

/**
 * Several RADIUS clients, each on its own UDP source port, used as one. RFC 2865 §3 gives a request an 8-bit
 * Identifier per (client address, port) pair, so one socket carries at most 256 requests in flight; a burst of
 * 1000 PADRs meant 1000 Access-Requests at once, and the ones past 256 spun over the Identifier space waiting for a
 * free one (the hottest code in the access concentrator's profile). With {@code n} sockets, {@code 255 n} requests
 * fly at once and any further one waits on a semaphore without spinning, as FreeRADIUS's proxy does with its
 * pool of source ports.
 */
public final class RadiusClientPool implements AutoCloseable {
  static final int PER_SOCKET = 255;

  private final List<RadiusClient> clients;
  private final AtomicIntegerArray inFlight;
  private final Semaphore permits;

  public RadiusClientPool(List<RadiusClient> clients) {
    if (clients.isEmpty()) throw new IllegalArgumentException("a pool needs at least one RADIUS client");
    this.clients = List.copyOf(clients);
    this.inFlight = new AtomicIntegerArray(clients.size());
    this.permits = new Semaphore(PER_SOCKET * clients.size());
  }

  /** Sends on the least busy socket, waiting (not spinning) while every Identifier of every socket is in use. */
  public RadiusClient.Response send(RadiusClient.Request request) throws IOException, InterruptedException {
    permits.acquire();
    int best = 0;
    for (int i = 1; i < clients.size(); i++) {
      if (inFlight.get(i) < inFlight.get(best)) best = i;
    }
    inFlight.incrementAndGet(best);
    try {
      return clients.get(best).send(request);
    } finally {
      inFlight.decrementAndGet(best);
      permits.release();
    }
  }

  public int size() {
    return clients.size();
  }

  @Override
  public void close() {
    clients.forEach(RadiusClient::close);
  }
}
