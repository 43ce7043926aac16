package dev.rungroup.spring.boottest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's section "Testing an application that has actors" shows test classes that compile and
 * pass as written: its {@code java} blocks are, in order, the sources of {@code ImporterTests} and
 * {@code ImporterContextTests} (package {@code readme}, which the build compiles and runs) from
 * their first import on.
 */
class ReadmeSnippetsTests {

  private static final String SECTION = "### Testing an application that has actors";

  private static final Path SNIPPETS =
      Paths.get("src/test/java/dev/rungroup/spring/boottest/readme");

  @Test
  void theTestingSectionsJavaBlocksAreTheSnippetSourcesFromTheirImportsOn() throws IOException {
    String readme = Files.readString(Paths.get("../README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf(SECTION);
    assertThat(start).as("the README has the section").isNotNegative();
    int end = readme.indexOf("\n## ", start);
    String section = readme.substring(start, end < 0 ? readme.length() : end);

    List<String> blocks = new ArrayList<>();
    Matcher block =
        Pattern.compile("^ *```java\\n(.*?)^ *```$", Pattern.MULTILINE | Pattern.DOTALL)
            .matcher(section);
    while (block.find()) {
      blocks.add(block.group(1));
    }

    assertThat(blocks)
        .containsExactly(
            fromFirstImport(SNIPPETS.resolve("ImporterTests.java")),
            fromFirstImport(SNIPPETS.resolve("ImporterContextTests.java")));
  }

  private static String fromFirstImport(Path source) throws IOException {
    String text = Files.readString(source, StandardCharsets.UTF_8);
    int first = text.indexOf("\nimport ");
    assertThat(first).as(source + " has imports").isNotNegative();
    return text.substring(first + 1);
  }
}
