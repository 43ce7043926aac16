package dev.rungroup.spring.autoconfigure;

import dev.rungroup.GroupListener;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.util.ClassUtils;

/**
 * The actor's name in the logging MDC, key {@value #KEY}, on the actor's own thread: from just
 * before its {@code execute} to just after it returned, across the listeners of both events, so
 * that every line the actor logs and every line a listener logs for it carries the name (a field of
 * Spring Boot's structured logging, {@code %X{actor}} in a pattern).
 *
 * <p>Two listeners of the group, from {@link #entering()} and {@link #leaving()}: the first is the
 * group's first listener and puts the key in {@code actorStarted} and {@code actorRestarting}; the
 * second is its last and removes the key in {@code actorReturned} and {@code actorRestarting}. The
 * core calls these three events on the actor's own thread, each incarnation of a restarted actor
 * again, on platform and virtual threads alike, so the key is set on that thread while the actor
 * runs and is gone when the thread ends (it is never left behind on a thread that outlives its
 * actor). A restart's wait and the making of the next incarnation run without the key.
 *
 * <p>Stateless, so thread-safe: the MDC is per thread.
 */
final class ActorMdc {

  /** The MDC key that holds the actor's name. */
  static final String KEY = "actor";

  private ActorMdc() {}

  /**
   * Whether SLF4J's MDC is there to write to.
   *
   * @param classLoader the class loader of the application
   * @return whether {@code org.slf4j.MDC} can be loaded
   */
  static boolean isAvailable(@Nullable ClassLoader classLoader) {
    return ClassUtils.isPresent("org.slf4j.MDC", classLoader);
  }

  /**
   * The group's first listener: puts the actor's name in the MDC.
   *
   * @return a new listener
   */
  static GroupListener entering() {
    return new GroupListener() {
      @Override
      public void actorStarted(String actor, Thread thread) {
        MDC.put(KEY, actor);
      }

      @Override
      public void actorRestarting(
          String actor, @Nullable Throwable error, int restart, Duration delay) {
        MDC.put(KEY, actor);
      }

      @Override
      public String toString() {
        return "ActorMdc.entering";
      }
    };
  }

  /**
   * The group's last listener: removes the actor's name from the MDC.
   *
   * @return a new listener
   */
  static GroupListener leaving() {
    return new GroupListener() {
      @Override
      public void actorReturned(String actor, @Nullable Throwable error) {
        MDC.remove(KEY);
      }

      @Override
      public void actorRestarting(
          String actor, @Nullable Throwable error, int restart, Duration delay) {
        MDC.remove(KEY);
      }

      @Override
      public String toString() {
        return "ActorMdc.leaving";
      }
    };
  }
}
