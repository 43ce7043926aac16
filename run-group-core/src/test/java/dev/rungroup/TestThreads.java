package dev.rungroup;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;

/**
 * The thread kind of the test run: platform threads by default; virtual threads when the build
 * runs the tests on Java 21+ with {@code -Drungroup.test.threads=virtual} (the {@code java25}
 * profile). Reached by reflection, since the code is compiled for Java 17.
 */
final class TestThreads {

  private TestThreads() {}

  static boolean virtual() {
    return "virtual".equals(System.getProperty("rungroup.test.threads"))
        && Runtime.version().feature() >= 21;
  }

  /** A builder using the run's thread kind. */
  static Group.Builder builder() {
    Group.Builder builder = Group.builder();
    if (virtual()) {
      builder.threadFactory(virtualFactory());
    }
    return builder;
  }

  /** A group with the run's thread kind and otherwise the defaults. */
  static Group group() {
    return builder().build();
  }

  static ThreadFactory virtualFactory() {
    try {
      Object ofVirtual = Thread.class.getMethod("ofVirtual").invoke(null);
      Method factory = Class.forName("java.lang.Thread$Builder").getMethod("factory");
      return (ThreadFactory) factory.invoke(ofVirtual);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("virtual threads need Java 21+", e);
    }
  }

  static boolean isVirtual(Thread thread) {
    try {
      return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
    } catch (NoSuchMethodException e) {
      return false;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
