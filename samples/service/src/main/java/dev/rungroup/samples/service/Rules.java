package dev.rungroup.samples.service;

import dev.rungroup.spring.Actor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;

/**
 * The {@code rules} actor (Prometheus's rule manager): evaluates the configuration's rules over the
 * storage every {@code rules.interval}. Declared {@code after = {"storage", "config"}}: it begins
 * once both are ready and returns before either is interrupted.
 *
 * <p>Thread-safety: the actor's method runs on the actor's thread.
 */
@Component
final class Rules {

  private static final Log logger = LogFactory.getLog(Rules.class);

  private final Storage storage;
  private final Config config;

  Rules(Storage storage, Config config) {
    this.storage = storage;
    this.config = config;
  }

  /**
   * The actor: evaluates the rules until the group's interrupt ({@link Thread#interrupt()} of this
   * thread).
   *
   * @throws InterruptedException when the group stops (a normal return for a method actor)
   */
  @Actor(
      name = "rules",
      after = {"storage", "config"})
  void run() throws InterruptedException {
    logger.info("rules: started");
    try {
      while (true) {
        Config.Settings settings = config.settings();
        // the interval between two evaluations; the interrupt ends it
        Thread.sleep(settings.rulesInterval().toMillis());
        long items = storage.count();
        logger.info("rules: evaluated " + settings.rules() + " over " + items + " items");
      }
    } finally {
      logger.info("rules: stopped");
    }
  }
}
