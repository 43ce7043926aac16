package dev.rungroup.samples.service;

import dev.rungroup.spring.Actor;
import java.util.concurrent.CountDownLatch;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;

/**
 * The {@code web} actor (Prometheus's web handler, which answers 503 until it is told the storage
 * and the configuration are ready): while it runs, {@link ServiceController}'s API serves; before
 * it began and once it returned, the API answers 503. The HTTP server itself is Spring's: it starts
 * after the group and, at SIGTERM, stops (draining its requests with {@code
 * server.shutdown=graceful}) before the group is stopped, so a request in flight still finds this
 * actor and the storage running.
 *
 * <p>Declared {@code after = {"storage", "config"}}: it begins once both are ready, and the group
 * interrupts both only once it returned.
 *
 * <p>Thread-safety: {@link #serving()} reads a volatile flag the actor's thread writes.
 */
@Component
final class Web {

  private static final Log logger = LogFactory.getLog(Web.class);

  private volatile boolean serving;

  /**
   * The actor: serves until the group's interrupt ({@link Thread#interrupt()} of this thread).
   *
   * @throws InterruptedException when the group stops (a normal return for a method actor)
   */
  @Actor(
      name = "web",
      after = {"storage", "config"})
  void run() throws InterruptedException {
    serving = true;
    logger.info("web: API ready");
    try {
      new CountDownLatch(1).await(); // nothing counts it down: only the interrupt ends the wait
    } finally {
      serving = false;
      logger.info("web: API stopped");
    }
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
