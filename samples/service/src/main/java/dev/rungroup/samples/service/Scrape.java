package dev.rungroup.samples.service;

import dev.rungroup.ActorContext;
import dev.rungroup.spring.Actor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;

/**
 * The {@code scrape} actor (Prometheus's scrape manager): scrapes the configuration's targets in
 * turn, one item every {@code scrape.interval}, and writes each item to the storage. Each item is
 * in flight for {@code service.scrape.hold} between its scrape and its write: a consumer with work
 * in flight.
 *
 * <p>Its interrupt is {@link #halt()}, not {@link Thread#interrupt()}: the item in flight is
 * finished, and written, before the actor returns. That is safe only because the actor is declared
 * {@code after = {"storage", "config"}}: the group interrupts the storage only once this actor has
 * returned. With the interrupts in a mere {@code @Order} the group would close the storage right
 * after calling {@code halt()}, and the item in flight would meet {@code "storage is not open"}.
 *
 * <p>Thread-safety: {@link #halt()} may be called from any thread; the actor's method runs on the
 * actor's thread.
 */
@Component
final class Scrape {

  private static final Log logger = LogFactory.getLog(Scrape.class);

  private final Storage storage;
  private final Config config;
  private final Duration hold;

  /** Released by {@link #halt()}: ends the pause between two items early. */
  private final Semaphore wake = new Semaphore(0);

  Scrape(Storage storage, Config config, ServiceProperties properties) {
    this.storage = storage;
    this.config = config;
    this.hold = properties.scrape().hold();
  }

  /**
   * The actor: scrapes and writes items until the group stops, finishing the item in flight.
   *
   * @param context the actor's context, which says when the group stops
   * @throws InterruptedException if the thread is interrupted anyway (the stop timeout ran out)
   */
  @Actor(
      name = "scrape",
      after = {"storage", "config"},
      interrupt = "halt")
  void run(ActorContext context) throws InterruptedException {
    logger.info("scrape: started");
    for (long item = 1; !context.isStopping(); item++) {
      Config.Settings settings = config.settings();
      List<String> targets = settings.targets();
      String target = targets.get((int) ((item - 1) % targets.size()));
      logger.info("scrape: item " + item + " in flight (" + target + ")");
      Thread.sleep(hold.toMillis()); // the work in flight: halt() does not cut it short
      try {
        storage.write("item " + item + " " + target + " " + Instant.now());
      } catch (IllegalStateException e) {
        logger.error("scrape: item " + item + " lost: " + e.getMessage());
        throw e;
      }
      logger.info("scrape: item " + item + " written");
      wake.tryAcquire(settings.scrapeInterval().toNanos(), TimeUnit.NANOSECONDS);
    }
    logger.info("scrape: stopped");
  }

  /**
   * The actor's interrupt: lets the item in flight finish, then the actor returns. Quick, and safe
   * at any time: the group calls it once it is stopping, so the actor's next check of {@link
   * ActorContext#isStopping()} ends its loop.
   */
  void halt() {
    wake.release();
  }
}
