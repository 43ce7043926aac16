package dev.rungroup.spring.autoconfigure;

import dev.rungroup.GroupListener;
import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.RunGroupCustomizer;
import dev.rungroup.spring.state.RunGroupActorStates;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * Runs the {@link dev.rungroup.spring.Actor @Actor} beans of the context as one {@link
 * dev.rungroup.Group}, in a {@link org.springframework.context.SmartLifecycle} that is also the
 * {@link ActorGroup} bean. {@link GroupListener} beans receive the group's events and {@link
 * RunGroupCustomizer} beans adjust its builder. Switched off by {@code run-group.enabled=false}.
 *
 * <p>In a hierarchy of contexts each context with the auto-configuration runs its own actors: an
 * {@link ActorGroup} of a parent context does not back this one off, and none of the beans of a
 * parent (listeners, customizers, the operations beans) is used for this context's group.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "run-group.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RunGroupProperties.class)
public final class RunGroupAutoConfiguration {

  static final String SHUTDOWN_PHASE_TIMEOUT = "spring.lifecycle.timeout-per-shutdown-phase";

  private static final Duration DEFAULT_SHUTDOWN_PHASE_TIMEOUT = Duration.ofSeconds(30);

  RunGroupAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean(value = ActorGroup.class, search = SearchStrategy.CURRENT)
  RunGroupLifecycle runGroupLifecycle(
      ApplicationContext applicationContext,
      RunGroupProperties properties,
      Environment environment,
      ObjectProvider<GroupListener> listeners,
      ObjectProvider<RunGroupCustomizer> customizers) {
    if (!(applicationContext instanceof ConfigurableApplicationContext context)) {
      throw new IllegalStateException(
          "run-group needs a ConfigurableApplicationContext, not "
              + applicationContext.getClass().getName());
    }
    return new RunGroupLifecycle(
        context, settings(properties, environment), listeners, customizers);
  }

  /**
   * The live state of each actor, for the health contributor, the endpoint and the meters, when any
   * of them can be there: this context's own group, looked up by type in this context (an injection
   * point would also see a parent's {@link ActorGroup} bean), with the options of its actors.
   */
  @Bean
  @Conditional(StatesReaderPresent.class)
  @ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
  RunGroupActorStates runGroupActorStates(ApplicationContext applicationContext) {
    ActorGroup group = applicationContext.getBean(ActorGroup.class);
    if (group instanceof RunGroupLifecycle lifecycle) {
      return new RunGroupActorStates(group, lifecycle::options, lifecycle::leaderOf);
    }
    return new RunGroupActorStates(group);
  }

  /**
   * The group's settings from the properties. Without {@code run-group.stop-timeout}, the stop
   * timeout is {@value #SHUTDOWN_PHASE_TIMEOUT} less the stop grace, so that the group finishes
   * within Spring's shutdown phase; a phase shorter than twice the grace is halved between them.
   */
  static RunGroupSettings settings(RunGroupProperties properties, Environment environment) {
    Duration grace = properties.getStopGrace();
    Duration stopTimeout = properties.getStopTimeout();
    if (stopTimeout == null) {
      Duration phaseTimeout =
          Binder.get(environment)
              .bind(SHUTDOWN_PHASE_TIMEOUT, Duration.class)
              .orElse(DEFAULT_SHUTDOWN_PHASE_TIMEOUT);
      if (phaseTimeout.isZero() || phaseTimeout.isNegative()) {
        throw new IllegalStateException(
            SHUTDOWN_PHASE_TIMEOUT
                + " must be positive to derive run-group.stop-timeout from it, was "
                + phaseTimeout
                + ". Fix: make it positive, or set run-group.stop-timeout.");
      }
      Duration half = half(phaseTimeout);
      if (grace.compareTo(half) > 0) { // no multiplication: it may overflow
        grace = half;
      }
      stopTimeout = phaseTimeout.minus(grace);
    }
    return new RunGroupSettings(
        properties.getPhase(),
        stopTimeout,
        grace,
        properties.isExitProcess(),
        threadFactory(environment),
        ActorTuning.of(properties, environment),
        LeadershipSettings.of(
            properties.getLeadership(), environment.getProperty("spring.application.name")),
        properties.isActorMdc());
  }

  /**
   * Half of a positive duration, truncated to the nanosecond as {@code Duration.dividedBy(2)}, in
   * integer arithmetic: {@code dividedBy} computes in {@code BigDecimal}, whose first use in a JVM
   * costs some 25 ms of CPU time at start-up.
   */
  static Duration half(Duration positive) {
    long seconds = positive.getSeconds();
    return Duration.ofSeconds(seconds / 2, (seconds % 2) * 500_000_000L + positive.getNano() / 2);
  }

  /**
   * Spring Boot's health support, Actuator's endpoints or Micrometer are present: some feature
   * reads states.
   */
  static final class StatesReaderPresent extends AnyNestedCondition {
    StatesReaderPresent() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.Health")
    static final class Health {}

    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    static final class Endpoint {}

    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    static final class Metrics {}
  }

  /** Virtual threads with {@code spring.threads.virtual.enabled} on Java 21+, else the default. */
  private static @Nullable ThreadFactory threadFactory(Environment environment) {
    if (Threading.VIRTUAL.isActive(environment)) {
      return new VirtualThreadTaskExecutor().getVirtualThreadFactory();
    }
    return null;
  }
}
