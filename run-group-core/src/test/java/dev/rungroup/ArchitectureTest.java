package dev.rungroup;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The core stays plain Java: no Spring, and it logs nothing itself (Semantics point 10 in the
 * README).
 */
class ArchitectureTest {

  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.rungroup");

  @Test
  void coreNeverDependsOnSpring() {
    noClasses()
        .that()
        .resideInAPackage("dev.rungroup..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework..")
        .check(CORE);
  }

  @Test
  void coreDependsOnNothingButTheJdkAndJspecify() {
    noClasses()
        .that()
        .resideInAPackage("dev.rungroup..")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages("dev.rungroup..", "java..", "org.jspecify..")
        .check(CORE);
  }

  @Test
  void coreLogsNothingAndPrintsNothing() {
    noClasses()
        .that()
        .resideInAPackage("dev.rungroup..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.util.logging..", "org.slf4j..", "org.apache.logging..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.lang.System$Logger")
        .orShould()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .orShould()
        .callMethod(Throwable.class, "printStackTrace")
        .check(CORE);
  }
}
