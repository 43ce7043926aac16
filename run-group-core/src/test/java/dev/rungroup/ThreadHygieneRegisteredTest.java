package dev.rungroup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The thread hygiene is registered for every test of the core without a word in the test: the build
 * turns on extension autodetection, and the extension is listed in {@code META-INF/services}.
 */
class ThreadHygieneRegisteredTest {

  @Test
  void theHygieneExtensionRanBeforeThisTest(TestInfo test) {
    assertThat(ThreadHygieneExtension.lastTest()).isEqualTo(test.getDisplayName());
  }
}
