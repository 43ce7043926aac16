package dev.rungroup.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
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
 * The generated configuration metadata describes every property with a default, and the README's
 * configuration table lists the same properties with the same defaults.
 */
class ConfigurationMetadataTests {

  private static final Pattern PROPERTY =
      Pattern.compile("\\{\\s*\"name\": \"(run-group\\.[a-z-]+)\",(.*?)\\}", Pattern.DOTALL);
  private static final Pattern DEFAULT = Pattern.compile("\"defaultValue\": \"?([^\",\\n]+)\"?");

  private record Property(String name, String body) {}

  @Test
  void everyPropertyHasADescriptionAndADefault() throws IOException {
    List<Property> properties = properties();
    assertThat(properties)
        .extracting(Property::name)
        .containsExactlyInAnyOrder(
            "run-group.enabled",
            "run-group.phase",
            "run-group.stop-timeout",
            "run-group.stop-grace",
            "run-group.exit-process");
    assertThat(properties)
        .allSatisfy(
            property -> {
              assertThat(property.body()).as(property.name()).contains("\"description\": \"");
              assertThat(DEFAULT.matcher(property.body()).find()).as(property.name()).isTrue();
            });
  }

  @Test
  void readmeConfigurationTableListsEveryPropertyWithItsDefault() throws IOException {
    Path readme = Paths.get("..", "README.md");
    assertThat(readme).exists();
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    for (Property property : properties()) {
      Matcher matcher = DEFAULT.matcher(property.body());
      assertThat(matcher.find()).isTrue();
      assertThat(text)
          .as("README row of " + property.name())
          .contains("| `" + property.name() + "` | `" + matcher.group(1) + "`");
    }
  }

  private static List<Property> properties() throws IOException {
    String json;
    InputStream resource =
        ConfigurationMetadataTests.class.getResourceAsStream(
            "/META-INF/spring-configuration-metadata.json");
    if (resource == null) {
      throw new AssertionError("no generated configuration metadata on the class path");
    }
    try (InputStream in = resource) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<Property> properties = new ArrayList<>();
    Matcher matcher = PROPERTY.matcher(json);
    while (matcher.find()) {
      properties.add(new Property(matcher.group(1), matcher.group(2)));
    }
    return properties;
  }
}
