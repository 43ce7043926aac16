package dev.rungroup.spring.health;

import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.state.RunGroupActorStates;
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
 * The {@code runGroup} health contributor ({@link RunGroupHealthIndicator}), when Spring Boot's
 * health support is present and the context has an {@link ActorGroup}. Switched off by {@code
 * management.health.run-group.enabled=false}. Each context of a hierarchy reports its own group:
 * the beans of a parent are not reused.
 *
 * @since 0.1
 */
@AutoConfiguration(
    afterName = "dev.rungroup.spring.autoconfigure.RunGroupAutoConfiguration",
    beforeName =
        "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass({Health.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(value = ActorGroup.class, search = SearchStrategy.CURRENT)
@ConditionalOnEnabledHealthIndicator("run-group")
public final class RunGroupHealthAutoConfiguration {

  RunGroupHealthAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean(name = "runGroupHealthIndicator", search = SearchStrategy.CURRENT)
  RunGroupHealthIndicator runGroupHealthIndicator(ApplicationContext applicationContext) {
    // This context's own states: an injection point would also see a parent's.
    return new RunGroupHealthIndicator(applicationContext.getBean(RunGroupActorStates.class));
  }
}
