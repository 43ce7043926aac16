package dev.rungroup.spring.autoconfigure;

import static dev.rungroup.spring.autoconfigure.TestActors.WAIT_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.Exit;
import dev.rungroup.Group;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.context.support.GenericApplicationContext;

/** The application's exit on its own: which end of a run closes the context, and with what code. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunGroupApplicationExitTests {

  private final CompletableFuture<Integer> systemExit = new CompletableFuture<>();

  @Test
  void aGroupStoppedFromOutsideLeavesTheContextOpen() {
    try (GenericApplicationContext context = context(true)) {
      Group group = Group.builder().build();
      group.add("worker", () -> {}, cause -> {});
      group.stop(new IllegalStateException("from outside"));
      Exit exit = group.run();
      assertThat(exit(context, true).groupEnded(exit)).isNull();
      assertThat(context.isActive()).isTrue();
      assertThat(systemExit).isNotDone();
    }
  }

  @Test
  void anActorThatReturnedClosesTheContextFromAThreadOfItsOwnWithoutExitingOutsideALaunch()
      throws Exception {
    try (GenericApplicationContext context = context(false)) {
      Thread closer = exit(context, true).groupEnded(returned(null));
      assertThat(closer).isNotNull();
      assertThat(closer.getName()).isEqualTo(RunGroupApplicationExit.EXIT_THREAD_NAME);
      assertThat(closer.isDaemon()).isFalse();
      closer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      assertThat(closer.isAlive()).isFalse();
      assertThat(context.isActive()).isFalse();
      assertThat(systemExit).isNotDone();
    }
  }

  @Test
  void inALaunchedApplicationTheJvmExitsWithTheCodeOfTheFailure() throws Exception {
    try (GenericApplicationContext context = context(true)) {
      Thread closer = exit(context, true).groupEnded(returned(new ExitWith(42)));
      assertThat(closer).isNotNull();
      assertThat(systemExit.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(42);
      assertThat(context.isActive()).isFalse();
    }
  }

  @Test
  void inALaunchedApplicationANormalReturnExitsWithZero() throws Exception {
    try (GenericApplicationContext context = context(true)) {
      exit(context, true).groupEnded(returned(null));
      assertThat(systemExit.get(WAIT_SECONDS, TimeUnit.SECONDS)).isZero();
    }
  }

  @Test
  void withoutExitProcessALaunchedApplicationIsOnlyClosed() throws Exception {
    try (GenericApplicationContext context = context(true)) {
      Thread closer = exit(context, false).groupEnded(returned(new IllegalStateException()));
      assertThat(closer).isNotNull();
      closer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      assertThat(context.isActive()).isFalse();
      assertThat(systemExit).isNotDone();
    }
  }

  @Test
  void aContextClosedAlreadyIsLeftToThatClose() throws Exception {
    GenericApplicationContext context = context(true);
    context.close();
    Thread closer = exit(context, true).groupEnded(returned(new IllegalStateException()));
    assertThat(closer).isNotNull();
    closer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertThat(closer.isAlive()).isFalse();
    assertThat(systemExit).isNotDone();
  }

  // ---------------------------------------------------------------------------------------------

  private RunGroupApplicationExit exit(GenericApplicationContext context, boolean exitProcess) {
    return new RunGroupApplicationExit(context, exitProcess, systemExit::complete);
  }

  /** A refreshed context, marked as launched by {@code SpringApplication.run} if asked. */
  private static GenericApplicationContext context(boolean launched) {
    GenericApplicationContext context = new GenericApplicationContext();
    if (launched) {
      context
          .getBeanFactory()
          .registerSingleton(
              SpringApplicationLaunch.BEAN_NAME, new SpringApplicationLaunch.Marker());
    }
    context.refresh();
    return context;
  }

  /** The exit of a run whose only actor returned first, with {@code error} or normally. */
  private static Exit returned(@Nullable Exception error) {
    Group group = Group.builder().build();
    group.add(
        "worker",
        () -> {
          if (error != null) {
            throw error;
          }
        },
        cause -> {});
    Exit exit = group.run();
    assertThat(exit.firstActor()).contains("worker");
    return exit;
  }

  private static final class ExitWith extends RuntimeException implements ExitCodeGenerator {
    private static final long serialVersionUID = 1L;
    private final int code;

    ExitWith(int code) {
      super("exit with " + code);
      this.code = code;
    }

    @Override
    public int getExitCode() {
      return code;
    }
  }
}
