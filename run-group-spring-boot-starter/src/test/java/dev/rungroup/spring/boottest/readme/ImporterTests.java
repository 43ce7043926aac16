package dev.rungroup.spring.boottest.readme;

// Mirrors the README's first snippet of "Testing an application that has actors", from the first
// import on; ReadmeSnippetsTests fails when the two differ.

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.Exit;
import dev.rungroup.spring.ActorGroup;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

@SpringBootTest(properties = "importer.rows=1,2,x")
@DirtiesContext // its group has ended: a later test class with this configuration gets a fresh one
class ImporterTests {
  @Autowired ActorGroup group;

  @Test
  void aBadRowStopsTheGroupWithTheImportersError() throws InterruptedException {
    Exit exit = group.awaitExit(Duration.ofSeconds(10)).orElseThrow();
    assertThat(exit.firstActor()).contains("importer");
    assertThat(exit.error()).isInstanceOf(ImportException.class);
  }
}
