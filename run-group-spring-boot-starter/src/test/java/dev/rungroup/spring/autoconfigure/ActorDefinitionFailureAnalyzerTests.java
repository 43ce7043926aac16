package dev.rungroup.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.spring.Actor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ActorDefinitionFailureAnalyzerTests {

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(RunGroupAutoConfiguration.class));

  @Test
  void misuseOfActorIsReportedWithTheProblemAsDescriptionAndTheFixAsAction() {
    contextRunner
        .withBean("notAnActor", NotAnActor.class)
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable failure = context.getStartupFailure();
              FailureAnalysis analysis =
                  new ActorDefinitionFailureAnalyzer()
                      .analyze(failure == null ? new Exception() : failure);
              assertThat(analysis).isNotNull();
              assertThat(analysis.getDescription())
                  .startsWith("@Actor on bean 'notAnActor'")
                  .endsWith("does not implement dev.rungroup.Interruptible.");
              assertThat(analysis.getAction())
                  .startsWith("implement Interruptible")
                  .doesNotContain("Fix:");
            });
  }

  @Test
  void otherFailuresAreLeftToOtherAnalyzers() {
    assertThat(new ActorDefinitionFailureAnalyzer().analyze(new IllegalStateException("other")))
        .isNull();
  }

  @Actor
  static class NotAnActor {}
}
