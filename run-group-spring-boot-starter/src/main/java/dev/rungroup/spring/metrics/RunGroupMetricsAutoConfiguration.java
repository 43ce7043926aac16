package dev.rungroup.spring.metrics;

import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.state.RunGroupActorStates;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Micrometer meters of the group ({@link RunGroupMetrics}), when the context has a {@link
 * MeterRegistry} (its own or a parent's) and an {@link ActorGroup} of its own: each context of a
 * hierarchy meters its own group. Each incarnation of an actor is an observation ({@link
 * RunGroupObservations}) in the context's {@link ObservationRegistry}, or, without one, in a
 * registry of the starter's own that only times it into the {@link MeterRegistry}.
 */
@AutoConfiguration(
    afterName = {
      "dev.rungroup.spring.autoconfigure.RunGroupAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"
    })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(value = ActorGroup.class, search = SearchStrategy.CURRENT)
public final class RunGroupMetricsAutoConfiguration {

  RunGroupMetricsAutoConfiguration() {}

  @Bean
  @ConditionalOnBean(MeterRegistry.class)
  @ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
  RunGroupMetrics runGroupMetrics(
      MeterRegistry meterRegistry, ApplicationContext applicationContext) {
    // This context's own group and states: an injection point would also see a parent's beans.
    String[] states = applicationContext.getBeanNamesForType(RunGroupActorStates.class);
    return new RunGroupMetrics(
        meterRegistry,
        applicationContext.getBean(ActorGroup.class),
        states.length == 1
            ? applicationContext.getBean(states[0], RunGroupActorStates.class)
            : null);
  }

  /**
   * The observations of the actors' incarnations: in the context's {@link ObservationRegistry} (its
   * own or a parent's), else in one that only feeds the {@link MeterRegistry}, so that the timer
   * {@code rungroup.actor} is there either way.
   */
  @Bean
  @Conditional(ObservationsPossible.class)
  @ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
  RunGroupObservations runGroupObservations(
      ObjectProvider<ObservationRegistry> observationRegistry,
      ObjectProvider<MeterRegistry> meterRegistry) {
    ObservationRegistry registry = observationRegistry.getIfUnique();
    if (registry == null) {
      registry = ObservationRegistry.create();
      registry
          .observationConfig()
          .observationHandler(new DefaultMeterObservationHandler(meterRegistry.getObject()));
    }
    return new RunGroupObservations(registry);
  }

  /** The context has an {@link ObservationRegistry} or a {@link MeterRegistry}. */
  static final class ObservationsPossible extends AnyNestedCondition {
    ObservationsPossible() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnBean(ObservationRegistry.class)
    static final class Observations {}

    @ConditionalOnBean(MeterRegistry.class)
    static final class Meters {}
  }
}
