package dev.rungroup.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.spring.Actor;
import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.autoconfigure.TestActors.BlockingActor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * What the operator reads at INFO for one run of the context's group: start, why it stopped, end.
 */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OperatorLogTests {

  private static final String THREADS =
      TestActors.virtualThreads() ? "virtual threads" : "platform threads";

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(RunGroupAutoConfiguration.class))
          .withPropertyValues("spring.threads.virtual.enabled=" + TestActors.virtualThreads());

  @Test
  void theStartIsOneLineWithTheActorsInOrderAndTheirThreadKind(CapturedOutput output) {
    contextRunner
        .withBean("storage", Storage.class, Storage::new)
        .withBean("consumer", Consumer.class, Consumer::new)
        .run(
            context -> {
              TestActors.await(context.getBean(Consumer.class).started);
              assertThat(output.getAll())
                  .containsPattern(
                      "INFO .* Started the group of 2 actors on "
                          + THREADS
                          + ": storage, consumer");
            });
  }

  @Test
  void closingTheContextIsNamedAsWhatStoppedTheGroupAndTheLastLineSumsUpTheRun(
      CapturedOutput output) {
    contextRunner
        .withBean("storage", Storage.class, Storage::new)
        .withBean("consumer", Consumer.class, Consumer::new)
        .run(context -> TestActors.await(context.getBean(Consumer.class).started));
    assertThat(output.getAll())
        .containsPattern("INFO .* Stopping the group of actors: the application context is closing")
        .containsPattern(
            "INFO .* Group of actors stopped after [0-9.]+m?s \\(the stop took [0-9.]+m?s\\):"
                + " storage returned, consumer returned");
  }

  @Test
  void aStopThroughActorGroupIsNamedWithItsCause(CapturedOutput output) {
    contextRunner
        .withBean("storage", Storage.class, Storage::new)
        .run(
            context -> {
              TestActors.await(context.getBean(Storage.class).started);
              ActorGroup group = context.getBean(ActorGroup.class);
              group.stop(new IllegalStateException("maintenance"));
              assertThat(group.awaitExit(Duration.ofSeconds(TestActors.WAIT_SECONDS))).isPresent();
            });
    assertThat(output.getAll())
        .contains(
            "Stopping the group of actors: ActorGroup.stop was called"
                + " (java.lang.IllegalStateException: maintenance)");
  }

  @Test
  void anActorThatFailedIsNamedAsWhatStoppedTheGroupAndInTheLastLine(CapturedOutput output) {
    TestActors.Capture capture = new TestActors.Capture();
    contextRunner
        .withBean("storage", Storage.class, Storage::new)
        .withBean("importer", Importer.class, Importer::new)
        .withBean(TestActors.Capture.class, () -> capture)
        // the failure closes the context: the test's own listener keeps the exit
        .run(
            context ->
                assertThat(capture.awaitExit().error()).isInstanceOf(IllegalStateException.class));
    assertThat(output.getAll())
        .containsPattern("ERROR .* Actor 'importer' failed: stopping the group of actors")
        .containsPattern(
            "INFO .* Group of actors stopped after [0-9.]+m?s \\(the stop took [0-9.]+m?s\\):"
                + " storage returned, importer failed \\(java.lang.IllegalStateException\\)");
  }

  @Test
  void theJvmShuttingDownIsToldApartFromAContextClose() {
    // Not shutting down now: the probe adds and removes a hook, leaving none behind.
    assertThat(RunGroupLifecycle.jvmShuttingDown()).isFalse();
    assertThat(RunGroupLifecycle.jvmShuttingDown()).isFalse();
  }

  @Actor
  static class Storage extends BlockingActor {}

  @Actor
  static class Consumer extends BlockingActor {}

  @Actor
  static class Importer extends TestActors.FailingActor {}
}
