package dev.rungroup.spring.metrics;

import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.state.RunGroupActorStates;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of the group ({@link RunGroupMetrics}), when the context has a {@link
 * MeterRegistry} (its own or a parent's) and an {@link ActorGroup} of its own: each context of a
 * hierarchy meters its own group.
 */
@AutoConfiguration(
    afterName = {
      "dev.rungroup.spring.autoconfigure.RunGroupAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"
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
}
