package dev.rungroup.samples.service;

import dev.rungroup.ActorContext;
import dev.rungroup.spring.Actor;
import dev.rungroup.spring.Restart;
import java.io.IOException;
import java.time.Duration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;

/**
 * The {@code upstream} actor: polls a flaky {@link UpstreamSource} every {@code
 * service.upstream.interval} and writes each sample to the storage. It is declared {@code restart =
 * ON_FAILURE}: a failed poll restarts the actor after a backoff instead of stopping the service,
 * within the budget that {@code run-group.actors[upstream].restart.*} sets (application.properties:
 * 5 restarts within a minute). The failure past that budget stops the group, with the ERROR line
 * {@code Actor 'upstream' failed 6 times within 1m: stopping the group of actors}, and the process
 * exits with 1.
 *
 * <p>Declared {@code after = "storage"}, which it writes to.
 *
 * <p>Thread-safety: the actor's method runs on the actor's thread, one incarnation at a time.
 */
@Component
final class Upstream {

  private static final Log logger = LogFactory.getLog(Upstream.class);

  private final UpstreamSource source;
  private final Storage storage;
  private final Duration interval;

  Upstream(UpstreamSource source, Storage storage, ServiceProperties properties) {
    this.source = source;
    this.storage = storage;
    this.interval = properties.upstream().interval();
  }

  /**
   * The actor, invoked again at each restart: polls until the group's interrupt ({@link
   * Thread#interrupt()} of this thread) or a failed poll.
   *
   * @param context the context of this incarnation, which counts its restarts
   * @throws IOException when a poll fails: the restart policy restarts the actor
   * @throws InterruptedException when the group stops (a normal return for a method actor)
   */
  @Actor(name = "upstream", after = "storage", restart = Restart.ON_FAILURE)
  void poll(ActorContext context) throws IOException, InterruptedException {
    logger.info("upstream: polling (restarts so far: " + context.restarts() + ")");
    try {
      while (true) {
        storage.write("upstream " + source.poll());
        Thread.sleep(interval.toMillis()); // the interval between two rounds; the interrupt ends it
      }
    } catch (InterruptedException e) {
      logger.info("upstream: stopped");
      throw e;
    }
  }
}
