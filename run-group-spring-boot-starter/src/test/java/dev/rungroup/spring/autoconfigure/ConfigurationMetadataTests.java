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
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The generated configuration metadata describes every property with a default (or, for the few
 * without one, none), and the README's configuration table lists the same properties with the same
 * defaults, and each setting of one actor under {@code run-group.actors[<name>]}.
 */
class ConfigurationMetadataTests {

  private static final Pattern PROPERTY =
      Pattern.compile("\\{\\s*\"name\": \"(run-group\\.[a-z.-]+)\",(.*?)\\}", Pattern.DOTALL);
  private static final Pattern DEFAULT = Pattern.compile("\"defaultValue\": \"?([^\",\\n]+)\"?");

  private static final String ACTORS = "run-group.actors";

  /** The properties without a default: no limit, and the map of single actors' settings. */
  private static final Set<String> NO_DEFAULT = Set.of("run-group.startup-timeout", ACTORS);

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
            "run-group.exit-process",
            "run-group.actor-mdc",
            "run-group.startup-timeout",
            "run-group.restart.max-restarts",
            "run-group.restart.within",
            "run-group.restart.backoff-initial",
            "run-group.restart.backoff-max",
            "run-group.restart.jitter",
            "run-group.leadership.time-to-live",
            "run-group.leadership.renew-interval",
            "run-group.leadership.margin",
            ACTORS);
    assertThat(properties)
        .allSatisfy(
            property -> {
              assertThat(property.body()).as(property.name()).contains("\"description\": \"");
              assertThat(DEFAULT.matcher(property.body()).find())
                  .as(property.name())
                  .isEqualTo(!NO_DEFAULT.contains(property.name()));
            });
  }

  @Test
  void anActorHasASettingOfItsOwnForEachDefaultOfStartupAndRestart() throws IOException {
    List<String> defaults =
        properties().stream()
            .map(Property::name)
            .filter(
                name ->
                    name.equals("run-group.startup-timeout")
                        || name.startsWith("run-group.restart."))
            .map(name -> name.substring("run-group.".length()))
            .toList();
    assertThat(ActorTuning.SETTINGS).containsExactlyInAnyOrderElementsOf(defaults);
  }

  @Test
  void readmeConfigurationTableListsEveryPropertyWithItsDefault() throws IOException {
    Path readme = Paths.get("..", "README.md");
    assertThat(readme).exists();
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    for (Property property : properties()) {
      if (property.name().equals(ACTORS)) {
        for (String setting : ActorTuning.SETTINGS) {
          String name = ACTORS + "[<name>]." + setting;
          assertThat(text)
              .as("README row of " + name)
              .contains("| `" + name + "` | `run-group." + setting + "`");
        }
        continue;
      }
      Matcher matcher = DEFAULT.matcher(property.body());
      String shown = matcher.find() ? "`" + matcher.group(1) + "`" : "none";
      assertThat(text)
          .as("README row of " + property.name())
          .contains("| `" + property.name() + "` | " + shown + " |");
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
    int from = json.indexOf("\"properties\": [");
    int to = json.indexOf("\"hints\":", from);
    assertThat(from).as("the metadata's properties").isNotNegative();
    String section = to < 0 ? json.substring(from) : json.substring(from, to); // not the groups
    List<Property> properties = new ArrayList<>();
    Matcher matcher = PROPERTY.matcher(section);
    while (matcher.find()) {
      properties.add(new Property(matcher.group(1), matcher.group(2)));
    }
    return properties;
  }
}
