package dev.rungroup.spring.availability;

import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.autoconfigure.RunGroupAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Ties the group to Spring Boot's application availability ({@link AvailabilityGroupListener}):
 * readiness refuses traffic as soon as the group begins to stop, liveness is broken when an actor
 * fails.
 */
@AutoConfiguration(after = RunGroupAutoConfiguration.class)
@ConditionalOnBean(ActorGroup.class)
public final class RunGroupAvailabilityAutoConfiguration {

  RunGroupAvailabilityAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean
  AvailabilityGroupListener runGroupAvailabilityListener(ApplicationContext applicationContext) {
    return new AvailabilityGroupListener(applicationContext);
  }
}
