package dev.rungroup.spring.actuate;

import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.autoconfigure.RunGroupAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The {@code runGroup} health contributor ({@link ActorGroupHealthIndicator}), when Spring Boot's
 * health support is present and the context has an {@link ActorGroup}. Switched off by {@code
 * management.health.run-group.enabled=false}. Each context of a hierarchy reports its own group:
 * the beans of a parent are not reused.
 */
@AutoConfiguration(
    after = RunGroupAutoConfiguration.class,
    beforeName =
        "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass({Health.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(value = ActorGroup.class, search = SearchStrategy.CURRENT)
@ConditionalOnEnabledHealthIndicator("run-group")
public final class RunGroupHealthAutoConfiguration {

  RunGroupHealthAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
  ActorStates runGroupActorStates(ApplicationContext applicationContext) {
    // This context's own group: an injection point would also see a parent's ActorGroup bean.
    return new ActorStates(applicationContext.getBean(ActorGroup.class));
  }

  @Bean
  @ConditionalOnMissingBean(name = "runGroupHealthIndicator", search = SearchStrategy.CURRENT)
  ActorGroupHealthIndicator runGroupHealthIndicator(ActorStates actorStates) {
    return new ActorGroupHealthIndicator(actorStates);
  }
}
