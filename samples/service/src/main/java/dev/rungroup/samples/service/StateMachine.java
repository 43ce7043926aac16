package dev.rungroup.samples.service;

import dev.rungroup.Interruptible;
import dev.rungroup.spring.Actor;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The state machine actor ({@code sm.Run(ctx)} in the article): it starts, becomes {@link
 * State#READY}, then handles the commands sent to it, one at a time, on its own thread. Its
 * interrupt sends it a stop command (Go cancels a context); a fault command, or the end of {@code
 * service.fail-after}, makes it fail with a {@link ServiceFault}, which stops the whole group.
 *
 * <p>Readiness is a latch others can wait on ({@link #awaitReady()}): the way the article's source
 * orders start-up with channels, such as Prometheus not enabling its web interface before its
 * storage is ready. Every actor starts at once; the ones that depend on another wait for it.
 *
 * <p>It is interrupted last ({@code @Order(3)}): the HTTP server and the cron jobs, which read it,
 * are told to stop first.
 */
@Component
@Order(3)
@Actor(name = "state-machine")
final class StateMachine implements Interruptible {

  private static final Log logger = LogFactory.getLog(StateMachine.class);

  /** The states, in the order they are reached. */
  enum State {
    NEW,
    STARTING,
    READY,
    FAILED,
    STOPPED
  }

  private record Command(Kind kind, String reason) {
    enum Kind {
      FAULT,
      STOP
    }
  }

  private final Duration startupDelay;
  private final @Nullable Duration failAfter;
  private final BlockingQueue<Command> commands = new LinkedBlockingQueue<>();
  private final CountDownLatch ready = new CountDownLatch(1);
  private volatile State state = State.NEW;

  StateMachine(ServiceProperties properties) {
    this.startupDelay = properties.startupDelay();
    this.failAfter = properties.failAfter();
  }

  @Override
  public void execute() throws InterruptedException {
    state = State.STARTING;
    logger.info("state-machine: starting, ready in " + startupDelay);
    Command command = commands.poll(startupDelay.toNanos(), TimeUnit.NANOSECONDS);
    if (command != null) {
      handle(command); // stopped or failed while starting
      return;
    }
    state = State.READY;
    logger.info("state-machine: READY");
    ready.countDown(); // lets the cron jobs start: after the line above, always
    long deadline = failAfter == null ? 0 : System.nanoTime() + failAfter.toNanos();
    while (true) {
      if (failAfter == null) {
        command = commands.take();
      } else {
        command = commands.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (command == null) {
          command = new Command(Command.Kind.FAULT, "service.fail-after=" + failAfter + " elapsed");
        }
      }
      if (handle(command)) {
        return;
      }
    }
  }

  /** Handles a command; returns whether the state machine has stopped. */
  private boolean handle(Command command) {
    return switch (command.kind()) {
      case STOP -> {
        state = State.STOPPED;
        logger.info("state-machine: stopped (" + command.reason() + ")");
        yield true;
      }
      case FAULT -> {
        state = State.FAILED;
        throw new ServiceFault("state machine failed: " + command.reason());
      }
    };
  }

  @Override
  public void interrupt(@Nullable Throwable cause) {
    String reason = cause == null ? "group stopping" : "group stopping: " + cause;
    commands.add(new Command(Command.Kind.STOP, reason));
  }

  /**
   * Makes the state machine fail, which stops the group: the fault switch.
   *
   * @param reason what asked for it, for the failure's message
   */
  void fault(String reason) {
    commands.add(new Command(Command.Kind.FAULT, reason));
  }

  /**
   * The current state, readable from any thread.
   *
   * @return the state
   */
  State state() {
    return state;
  }

  /**
   * Waits until the state machine is ready.
   *
   * @throws InterruptedException if the waiting thread is interrupted, as when the group stops
   *     before the state machine became ready
   */
  void awaitReady() throws InterruptedException {
    ready.await();
  }
}
