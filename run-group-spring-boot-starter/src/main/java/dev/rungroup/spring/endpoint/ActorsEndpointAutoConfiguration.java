package dev.rungroup.spring.endpoint;

import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.state.RunGroupActorStates;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The read-only {@code actors} endpoint ({@link ActorsEndpoint}), when Actuator is present, the
 * context has an {@link ActorGroup}, and the endpoint is available (enabled and exposed, through
 * {@code management.endpoints.web.exposure.include} for the web, as every Actuator endpoint). Each
 * context of a hierarchy describes its own group: the beans of a parent are not reused.
 *
 * @since 0.1
 */
@AutoConfiguration(afterName = "dev.rungroup.spring.autoconfigure.RunGroupAutoConfiguration")
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean(value = ActorGroup.class, search = SearchStrategy.CURRENT)
@ConditionalOnAvailableEndpoint(ActorsEndpoint.class)
public final class ActorsEndpointAutoConfiguration {

  ActorsEndpointAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
  ActorsEndpoint actorsEndpoint(ApplicationContext applicationContext) {
    // This context's own states: an injection point would also see a parent's.
    return new ActorsEndpoint(applicationContext.getBean(RunGroupActorStates.class));
  }
}
