package dev.rungroup.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.rungroup.spring.autoconfigure.RunGroupAutoConfiguration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;

/**
 * The arrows between the starter's packages: the features (health, endpoint, metrics, availability)
 * depend on the API, the state model and the core, never on each other nor on the group's
 * auto-configuration (they order themselves after it by its name); the API depends on nothing else
 * of the starter's.
 */
class StarterArchitectureTest {

  private static final String API = "dev.rungroup.spring";
  private static final String GROUP = "dev.rungroup.spring.autoconfigure..";
  private static final String STATE = "dev.rungroup.spring.state..";
  private static final List<String> FEATURES =
      List.of(
          "dev.rungroup.spring.health..",
          "dev.rungroup.spring.endpoint..",
          "dev.rungroup.spring.metrics..",
          "dev.rungroup.spring.availability..");

  private static final JavaClasses STARTER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(API);

  @Test
  void featuresNeverDependOnEachOtherNorOnTheGroupsAutoConfiguration() {
    for (String feature : FEATURES) {
      List<String> forbidden = new ArrayList<>(FEATURES);
      forbidden.remove(feature);
      forbidden.add(GROUP);
      noClasses()
          .that()
          .resideInAPackage(feature)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(forbidden.toArray(String[]::new))
          .check(STARTER);
    }
  }

  @Test
  void theStateModelDependsOnlyOnTheApiAndTheCore() {
    List<String> forbidden = new ArrayList<>(FEATURES);
    forbidden.add(GROUP);
    noClasses()
        .that()
        .resideInAPackage(STATE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(forbidden.toArray(String[]::new))
        .check(STARTER);
  }

  @Test
  void theApiDependsOnNothingOfTheStarters() {
    List<String> forbidden = new ArrayList<>(FEATURES);
    forbidden.add(GROUP);
    forbidden.add(STATE);
    noClasses()
        .that()
        .resideInAPackage(API)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(forbidden.toArray(String[]::new))
        .check(STARTER);
  }

  @Test
  void featuresOrderThemselvesAfterTheGroupByTheNameOfAnExistingClass() throws Exception {
    List<Class<?>> features =
        List.of(
            dev.rungroup.spring.health.RunGroupHealthAutoConfiguration.class,
            dev.rungroup.spring.endpoint.ActorsEndpointAutoConfiguration.class,
            dev.rungroup.spring.metrics.RunGroupMetricsAutoConfiguration.class,
            dev.rungroup.spring.availability.RunGroupAvailabilityAutoConfiguration.class);
    for (Class<?> feature : features) {
      AutoConfiguration annotation = feature.getAnnotation(AutoConfiguration.class);
      assertThat(annotation).as(feature.getName()).isNotNull();
      assertThat(annotation.afterName())
          .as(feature.getName())
          .contains(RunGroupAutoConfiguration.class.getName());
      for (String name : annotation.afterName()) {
        if (name.startsWith("dev.rungroup.")) {
          assertThat(Class.forName(name)).isNotNull();
        }
      }
    }
  }

  @Test
  void everyPackageOfTheStarterIsChecked() {
    List<String> known = new ArrayList<>(FEATURES);
    known.add(GROUP);
    known.add(STATE);
    noClasses()
        .that()
        .resideInAPackage(API + "..")
        .and()
        .resideOutsideOfPackages(known.toArray(String[]::new))
        .should()
        .resideOutsideOfPackage(API)
        .check(STARTER);
  }
}
