package dev.rungroup.samples.service;

import dev.rungroup.Interruptible;
import dev.rungroup.spring.Actor;
import java.util.concurrent.CountDownLatch;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The {@code web} actor (Prometheus's web handler, which answers 503 until it is told the storage
 * and the configuration are ready): while it runs, {@link ServiceController}'s API serves; before
 * it began and once it returned, the API answers 503. The HTTP server itself is Spring's: it starts
 * after the group and, at SIGTERM, stops (draining its requests with {@code
 * server.shutdown=graceful}) before the group is stopped, so a request in flight still finds this
 * actor and the storage running.
 *
 * <p>The one bean actor of the sample: the bean is an {@link Interruptible} with {@code @Actor} on
 * its class (the others are {@code @Actor} methods), so the group calls its {@link #execute()} and
 * its {@link #interrupt(Throwable)}. Declared {@code after = {"storage", "config"}}: it begins once
 * both are ready, and the group interrupts both only once it returned.
 *
 * <p>One run per bean, which is all this application needs (its process ends with the group): the
 * latch does not reset. An interrupt that comes before {@code execute} (the group stopped before
 * the storage and the config were ready) leaves it never started.
 *
 * <p>Thread-safety: {@link #serving()} reads a volatile flag the actor's thread writes; the
 * interrupt only counts the latch down.
 */
@Component
@Actor(
    name = "web",
    after = {"storage", "config"})
final class Web implements Interruptible {

  private static final Log logger = LogFactory.getLog(Web.class);

  private final CountDownLatch stop = new CountDownLatch(1);

  private volatile boolean serving;

  /**
   * The actor: serves until the group's interrupt.
   *
   * @throws InterruptedException if the thread is interrupted anyway (the stop timeout ran out)
   */
  @Override
  public void execute() throws InterruptedException {
    serving = true;
    logger.info("web: API ready");
    try {
      stop.await();
    } finally {
      serving = false;
      logger.info("web: API stopped");
    }
  }

  /**
   * The actor's interrupt: ends the wait in {@link #execute()}. Quick, and safe at any time.
   *
   * @param cause why the group stops, {@code null} for a normal stop
   */
  @Override
  public void interrupt(@Nullable Throwable cause) {
    stop.countDown();
  }

  /**
   * Whether the API serves.
   *
   * @return {@code true} while the actor runs
   */
  boolean serving() {
    return serving;
  }
}
