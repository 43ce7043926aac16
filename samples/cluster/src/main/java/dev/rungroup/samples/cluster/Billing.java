package dev.rungroup.samples.cluster;

import dev.rungroup.ActorContext;
import dev.rungroup.spring.Actor;
import dev.rungroup.spring.Restart;
import java.time.Duration;
import java.util.UUID;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code billing} actor, {@code @Actor(leader = "billing")}: it runs only on the replica that
 * holds the leadership {@code billing}. Each incarnation (each gain of the leadership, each
 * restart) takes a fresh UUID and writes a row {@code heartbeat(replica, incarnation, at)} every
 * {@code cluster.heartbeat-interval}, {@code at} from the database's {@code clock_timestamp()}: so
 * the table shows, by one clock, from when to when each incarnation ran, and whether two ever ran
 * at once.
 *
 * <p>Declared {@code restart = ON_FAILURE}, with a budget ({@code run-group.actors[billing].*} in
 * application.properties) that rides out a database outage: a heartbeat that fails restarts it,
 * until the leadership, whose renewal fails too, stops it.
 *
 * <p>Thread-safety: the actor's method runs on the actor's thread, one incarnation at a time.
 */
@Component
final class Billing {

  private static final Log logger = LogFactory.getLog(Billing.class);

  private final JdbcTemplate jdbc;
  private final String replica;
  private final Duration interval;

  Billing(JdbcTemplate jdbc, ClusterProperties properties) {
    this.jdbc = jdbc;
    this.replica = properties.replica();
    this.interval = properties.heartbeatInterval();
  }

  /**
   * The actor: writes heartbeats until the group's interrupt ({@link Thread#interrupt()} of this
   * thread) or a failed write.
   *
   * @param context the context of this incarnation, which counts its restarts
   * @throws InterruptedException when the leadership or the application stops it (a normal return
   *     for a method actor)
   */
  @Actor(name = "billing", leader = "billing", restart = Restart.ON_FAILURE)
  void bill(ActorContext context) throws InterruptedException {
    UUID incarnation = UUID.randomUUID();
    logger.info(
        "billing: incarnation "
            + incarnation
            + " started on replica "
            + replica
            + " (restarts so far: "
            + context.restarts()
            + ")");
    try {
      while (true) {
        jdbc.update(
            "INSERT INTO heartbeat (replica, incarnation, at) VALUES (?, ?, clock_timestamp())",
            replica,
            incarnation);
        Thread.sleep(interval.toMillis()); // the interval between two rounds; the interrupt ends it
      }
    } catch (InterruptedException e) {
      logger.info("billing: incarnation " + incarnation + " stopped");
      throw e;
    } catch (RuntimeException e) {
      logger.info("billing: incarnation " + incarnation + " failed: " + e);
      throw e;
    }
  }
}
