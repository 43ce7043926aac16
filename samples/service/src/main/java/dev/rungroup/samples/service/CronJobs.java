package dev.rungroup.samples.service;

import dev.rungroup.spring.Actor;
import java.time.Duration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The cron jobs ({@code cronJobs(sm)} in the article): a method actor that reads the state machine
 * every {@code service.cron-interval}.
 *
 * <p><b>Start ordering.</b> All actors of the group start at once; an actor that needs another to
 * be ready waits for it at the top of its {@code execute}, as Prometheus waits on channels. Here
 * the job first waits on {@link StateMachine#awaitReady()}. The wait is interruptible, so if the
 * group stops before the state machine was ever ready (it failed while starting, or a SIGTERM came
 * early), the group's interrupt ({@link Thread#interrupt()} of this method's thread) ends it and
 * the job returns without having run.
 */
@Component
@Order(2)
class CronJobs {

  private static final Log logger = LogFactory.getLog(CronJobs.class);

  private final StateMachine stateMachine;
  private final Duration interval;

  CronJobs(StateMachine stateMachine, ServiceProperties properties) {
    this.stateMachine = stateMachine;
    this.interval = properties.cronInterval();
  }

  /**
   * The actor: waits until the state machine is ready, then reads it every interval until the group
   * stops.
   *
   * @throws InterruptedException when the group stops (a normal return for a method actor)
   */
  @Actor(name = "cron-jobs")
  void run() throws InterruptedException {
    try {
      logger.info("cron-jobs: waiting until the state machine is ready");
      stateMachine.awaitReady();
      for (long run = 1; ; run++) {
        logger.info("cron-jobs: run " + run + ": state machine is " + stateMachine.state());
        Thread.sleep(interval.toMillis()); // interruptible: the group's interrupt ends it
      }
    } finally {
      logger.info("cron-jobs: stopped");
    }
  }
}
