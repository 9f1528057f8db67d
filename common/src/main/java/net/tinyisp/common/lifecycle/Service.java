package net.tinyisp.common.lifecycle;

/**
 * A component that owns listeners or threads. {@code start} either leaves it serving or throws with a message an
 * operator can act on (address in use, missing file); {@code close} releases everything and may be called twice.
 */
public interface Service extends AutoCloseable {

  /** A short name for logs, health and metrics: {@code dns64}, {@code admin}, {@code nat64}. */
  String name();

  void start() throws Exception;

  /** Cheap liveness for {@code /health}; a service that cannot serve any more reports why. */
  default Health health() {
    return Health.ok();
  }

  @Override
  void close();

  record Health(boolean healthy, String detail) {
    public static Health ok() {
      return new Health(true, "ok");
    }

    public static Health down(String why) {
      return new Health(false, why);
    }
  }
}
