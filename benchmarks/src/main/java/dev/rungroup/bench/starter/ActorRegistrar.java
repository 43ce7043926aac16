package dev.rungroup.bench.starter;

import java.util.Locale;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;

/**
 * Registers {@code bench.actors} singleton beans of {@link LatchActor}, named {@code actor00001}
 * and so on, as a component scan would: by class, instantiated reflectively by Spring.
 */
final class ActorRegistrar implements BeanDefinitionRegistryPostProcessor {

  private final int actors;

  ActorRegistrar(int actors) {
    this.actors = actors;
  }

  @Override
  public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
    for (int i = 1; i <= actors; i++) {
      registry.registerBeanDefinition(
          String.format(Locale.ROOT, "actor%05d", i), new RootBeanDefinition(LatchActor.class));
    }
  }
}
