package dev.rungroup.spring.availability;

import dev.rungroup.spring.ActorGroup;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Ties the group of the root context to Spring Boot's application availability ({@link
 * RunGroupAvailabilityListener}): readiness accepts traffic only once the group is ready, and
 * refuses it as soon as the group begins to stop; liveness is broken when a failure stops the
 * group. Only the root context of a hierarchy has it: a child's events reach the parents' {@code
 * ApplicationAvailability}, and a child's group must not change the availability of the whole
 * application.
 */
@AutoConfiguration(
    afterName = {
      "dev.rungroup.spring.autoconfigure.RunGroupAutoConfiguration",
      "org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration"
    })
@ConditionalOnBean(value = ActorGroup.class, search = SearchStrategy.CURRENT)
@Conditional(RunGroupAvailabilityAutoConfiguration.RootContext.class)
public final class RunGroupAvailabilityAutoConfiguration {

  RunGroupAvailabilityAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
  RunGroupAvailabilityListener runGroupAvailabilityListener(
      ApplicationContext applicationContext, ObjectProvider<ApplicationAvailability> availability) {
    // Created first, the availability bean is a listener before this one: it sees Spring's
    // ACCEPTING_TRAFFIC before the REFUSING_TRAFFIC this one publishes in answer.
    availability.stream().forEach(created -> {});
    if (!(applicationContext instanceof ConfigurableApplicationContext context)) {
      throw new IllegalStateException(
          "run-group needs a ConfigurableApplicationContext, not "
              + applicationContext.getClass().getName());
    }
    // This context's own group: an injection point would also see a parent's.
    return new RunGroupAvailabilityListener(context, context.getBean(ActorGroup.class));
  }

  /** A context without parent. */
  static final class RootContext implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
      return beanFactory == null || beanFactory.getParentBeanFactory() == null;
    }
  }
}
