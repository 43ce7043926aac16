package dev.rungroup.samples.cluster;

import dev.rungroup.spring.Actor;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The {@code ticker} actor, on every replica: counts a tick every {@code cluster.tick-interval},
 * whether this replica leads or not and whether the database answers or not. {@code GET /ticker}
 * shows the count and the time of the latest tick.
 *
 * <p>Thread-safe: the actor's thread writes, any thread reads.
 */
@Component
final class Ticker {

  private final Duration interval;
  private final AtomicLong ticks = new AtomicLong();
  private final AtomicReference<@Nullable Instant> last = new AtomicReference<>();

  Ticker(ClusterProperties properties) {
    this.interval = properties.tickInterval();
  }

  /**
   * The actor: ticks until interrupted.
   *
   * @throws InterruptedException when the application stops (a normal return for a method actor)
   */
  @Actor(name = "ticker")
  void tick() throws InterruptedException {
    while (true) {
      ticks.incrementAndGet();
      last.set(Instant.now());
      Thread.sleep(interval.toMillis()); // the interval between two rounds; the interrupt ends it
    }
  }

  /** How many ticks so far. */
  long ticks() {
    return ticks.get();
  }

  /** When the latest tick was, or {@code null} before the first. */
  @Nullable Instant lastTick() {
    return last.get();
  }
}
