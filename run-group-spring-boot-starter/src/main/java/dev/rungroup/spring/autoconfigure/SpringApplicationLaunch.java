package dev.rungroup.spring.autoconfigure;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplicationRunListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * Marks the contexts that {@code SpringApplication.run} starts outside of a test framework: only
 * their group may exit the JVM. Registered in {@code META-INF/spring.factories}; it registers a
 * marker singleton in the context before it is refreshed. A {@code @SpringBootTest} (any context
 * loaded through Spring's TestContext framework) is recognised by the call stack of {@code
 * SpringApplication.run}, and an {@code ApplicationContextRunner} does not use {@code
 * SpringApplication} at all.
 */
final class SpringApplicationLaunch implements SpringApplicationRunListener {

  /** Name of the marker singleton. */
  static final String BEAN_NAME = "dev.rungroup.spring.autoconfigure.springApplicationLaunch";

  /**
   * Whether Spring's TestContext framework is on the class path; without it no caller can be part
   * of it, and the call stack is not walked (a walk costs a millisecond or more at start-up).
   */
  private static final boolean TEST_FRAMEWORK_PRESENT =
      ClassUtils.isPresent(
          "org.springframework.test.context.TestContextManager",
          SpringApplicationLaunch.class.getClassLoader());

  private final boolean fromTestFramework;

  SpringApplicationLaunch(SpringApplication application, String[] args) {
    this.fromTestFramework = TEST_FRAMEWORK_PRESENT && calledFromTestFramework();
  }

  private static boolean calledFromTestFramework() {
    return StackWalker.getInstance()
        .walk(
            frames ->
                frames.anyMatch(
                    frame ->
                        frame.getClassName().startsWith("org.springframework.test.context.")
                            || frame
                                .getClassName()
                                .startsWith("org.springframework.boot.test.context.")));
  }

  @Override
  public void contextPrepared(ConfigurableApplicationContext context) {
    if (!fromTestFramework && !context.getBeanFactory().containsSingleton(BEAN_NAME)) {
      context.getBeanFactory().registerSingleton(BEAN_NAME, new Marker());
    }
  }

  /**
   * Whether the current thread is loading a context for Spring's TestContext framework (a {@code
   * SpringBootTest}, a {@code SpringJUnitConfig} test, ...): its call stack passes through the
   * framework's context loading. An {@code ApplicationContextRunner} is not part of that framework.
   *
   * @return {@code true} when called, directly or not, from {@code
   *     org.springframework.test.context}
   */
  static boolean loadedByTestContextFramework() {
    return TEST_FRAMEWORK_PRESENT
        && StackWalker.getInstance()
            .walk(
                frames ->
                    frames.anyMatch(
                        frame ->
                            frame.getClassName().startsWith("org.springframework.test.context.")));
  }

  /** Whether {@code context} was started by {@code SpringApplication.run}, not in a test. */
  static boolean isLaunched(ConfigurableApplicationContext context) {
    return context.getBeanFactory().containsSingleton(BEAN_NAME);
  }

  /** The marker singleton. */
  static final class Marker {
    @Override
    public String toString() {
      return "run-group: started by SpringApplication.run";
    }
  }
}
