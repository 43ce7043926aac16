package dev.rungroup.spring.availability;

import dev.rungroup.spring.ActorGroup;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Ties the group to Spring Boot's application availability ({@link RunGroupAvailabilityListener}):
 * readiness refuses traffic as soon as the group begins to stop, liveness is broken when an actor
 * fails. Each context of a hierarchy has its own listener for its own group; it publishes the
 * states in its context, from which Spring passes them on to the parents, as it does for every
 * application event (so a child's group reaches an {@code ApplicationAvailability} bean of its
 * parent, as Spring Boot's own availability events of that child do).
 */
@AutoConfiguration(afterName = "dev.rungroup.spring.autoconfigure.RunGroupAutoConfiguration")
@ConditionalOnBean(value = ActorGroup.class, search = SearchStrategy.CURRENT)
public final class RunGroupAvailabilityAutoConfiguration {

  RunGroupAvailabilityAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
  RunGroupAvailabilityListener runGroupAvailabilityListener(ApplicationContext applicationContext) {
    return new RunGroupAvailabilityListener(applicationContext);
  }
}
