package dev.rungroup.samples.seed;

import dev.rungroup.spring.Actor;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The bean of actor 3, a method actor: the starter runs {@link #sleepThreeTimes()} on a thread of
 * its own, and interrupts that thread ({@link Thread#interrupt()}) when the group stops.
 */
@Component
@Order(3)
class Routine3 {

  private final Duration tick;

  /**
   * Makes the bean.
   *
   * @param tick the pause before each "sleeping" line, property {@code seed.tick} (1 s, as in the
   *     article)
   */
  Routine3(@Value("${seed.tick:1s}") Duration tick) {
    this.tick = tick;
  }

  /**
   * Actor 3: prints "Go routine 3 is sleeping..." a tick apart, three times, then "Go routine 3 is
   * closed", and returns, which stops the group.
   *
   * @throws InterruptedException if the group stops first (a normal return for a method actor)
   */
  @Actor(name = "routine-3")
  void sleepThreeTimes() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      Thread.sleep(tick.toMillis()); // an interruptible wait: the group's interrupt ends it
      System.out.println("Go routine 3 is sleeping...");
    }
    System.out.println("Go routine 3 is closed");
  }
}
