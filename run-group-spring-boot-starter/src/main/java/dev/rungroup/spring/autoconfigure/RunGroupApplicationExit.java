package dev.rungroup.spring.autoconfigure;

import dev.rungroup.Exit;
import dev.rungroup.spring.ActorGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ExitCodeExceptionMapper;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;

/**
 * The end of the application once its group ended by itself: closes the context from a new thread
 * and, in an application started by {@code SpringApplication.run} with {@code
 * run-group.exit-process}, exits the JVM with Spring's exit code. A context loaded by Spring's
 * TestContext framework is left open: the test asserts on it, and the framework's context cache
 * does not expect a context to close under it.
 *
 * <p>Thread-safe: it keeps no state of its own; {@link #groupEnded(Exit)} is called on the group's
 * run thread, once per run, and does its work on a thread of its own.
 */
final class RunGroupApplicationExit {

  private static final Log logger = LogFactory.getLog(ActorGroup.class);

  static final String EXIT_THREAD_NAME = "run-group-exit";

  private final ConfigurableApplicationContext context;
  private final boolean exitProcess;
  private final boolean closesContext;

  /** {@code null}: {@link System#exit(int)} itself (no method reference to link at start-up). */
  private final @Nullable IntConsumer systemExit;

  /**
   * The end of {@code context}'s application.
   *
   * @param context the context to close
   * @param exitProcess whether the JVM may exit (in a launched application)
   * @param closesContext {@code false} to leave the context open (Spring's TestContext framework)
   */
  RunGroupApplicationExit(
      ConfigurableApplicationContext context, boolean exitProcess, boolean closesContext) {
    this(context, exitProcess, closesContext, null);
  }

  /** With {@code systemExit} in place of {@link System#exit(int)}, for tests. */
  RunGroupApplicationExit(
      ConfigurableApplicationContext context, boolean exitProcess, IntConsumer systemExit) {
    this(context, exitProcess, true, systemExit);
  }

  private RunGroupApplicationExit(
      ConfigurableApplicationContext context,
      boolean exitProcess,
      boolean closesContext,
      @Nullable IntConsumer systemExit) {
    this.context = context;
    this.exitProcess = exitProcess;
    this.closesContext = closesContext;
    this.systemExit = systemExit;
  }

  /**
   * Closes the context if the group ended by itself. The {@link Exit} decides, as the group's first
   * stop: an actor that returned first closes the context also when a stop came later (the
   * context's close or {@link ActorGroup#stop(Throwable)} while the interrupts ran); a stop that
   * came first never closes it. Under Spring's TestContext framework nothing is closed: every actor
   * has stopped, and the run's {@link Exit} stays on the {@link ActorGroup}.
   *
   * @param exit the outcome of the run
   * @return the thread that closes the context, started; {@code null} if the context stays open
   */
  @Nullable Thread groupEnded(Exit exit) {
    if (exit.firstActor().isEmpty()) {
      return null; // stopped from outside: the context is closing, or the user asked for it
    }
    if (!closesContext) {
      logger.info(
          "The group of actors has stopped; the application context stays open, as Spring's"
              + " TestContext framework loaded it (ActorGroup.awaitExit gives the outcome)");
      return null;
    }
    boolean exitJvm = exitProcess && SpringApplicationLaunch.isLaunched(context);
    Thread closer = new Thread(() -> closeContext(exit, exitJvm), EXIT_THREAD_NAME);
    closer.setDaemon(false); // holds the JVM until it has exited with the right code
    closer.start();
    return closer;
  }

  private void closeContext(Exit exit, boolean exitJvm) {
    if (!context.isActive()) {
      return; // closed or closing already (a shutdown raced the actor): that close decides
    }
    if (!exitJvm) {
      logger.info("Closing the application context: the group of actors has stopped");
      context.close();
      return;
    }
    int code = exitCode(context, exit.error());
    // Logged before the close: the close may shut the logging system down.
    logger.info(
        "Closing the application context and exiting the JVM: the group of actors has stopped"
            + " (exit code "
            + code
            + ", unless an ExitCodeGenerator bean says otherwise)");
    int status = SpringApplication.exit(context, () -> code);
    if (systemExit == null) {
      System.exit(status);
    } else {
      systemExit.accept(status);
    }
  }

  /**
   * The exit code for the error that stopped the group: 0 without error; else the code of an
   * exception in the cause chain that implements {@link ExitCodeGenerator}; else the first non-zero
   * code of the {@link ExitCodeExceptionMapper} beans, in order; else 1.
   */
  static int exitCode(ConfigurableApplicationContext context, @Nullable Throwable error) {
    if (error == null) {
      return 0;
    }
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof ExitCodeGenerator generator) {
        int code = generator.getExitCode();
        if (code != 0) {
          return code;
        }
        break;
      }
    }
    if (context.isActive()) {
      List<ExitCodeExceptionMapper> mappers =
          new ArrayList<>(context.getBeansOfType(ExitCodeExceptionMapper.class).values());
      AnnotationAwareOrderComparator.sort(mappers);
      for (ExitCodeExceptionMapper mapper : mappers) {
        int code = mapper.getExitCode(error);
        if (code != 0) {
          return code;
        }
      }
    }
    return 1;
  }
}
