package dev.rungroup.spring.boottest.readme;

// Mirrors the README's second snippet of "Testing an application that has actors", from the first
// import on; ReadmeSnippetsTests fails when the two differ.

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.Exit;
import dev.rungroup.GroupListener;
import dev.rungroup.spring.autoconfigure.RunGroupAutoConfiguration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ImporterContextTests {
  private final LastExit last = new LastExit(); // the test's own: the context may be closed

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(RunGroupAutoConfiguration.class))
          .withBean(Importer.class)
          .withBean(LastExit.class, () -> last)
          .withPropertyValues("importer.rows=1,2,x");

  @Test
  void aBadRowStopsTheGroupAndClosesTheContext() {
    contextRunner.run(
        context -> {
          Exit exit = last.exit.get(10, TimeUnit.SECONDS);
          assertThat(exit.firstActor()).contains("importer");
          assertThat(exit.error()).isInstanceOf(ImportException.class);
        });
  }

  /** Keeps the outcome of the group, whose end closes the context. */
  static class LastExit implements GroupListener {
    final CompletableFuture<Exit> exit = new CompletableFuture<>();

    @Override
    public void groupStopped(Exit stopped) {
      exit.complete(stopped);
    }
  }
}
