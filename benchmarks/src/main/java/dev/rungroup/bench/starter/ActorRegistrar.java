package dev.rungroup.bench.starter;

import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;

/**
 * Registers {@code bench.actors} singleton beans of {@link LatchActor}, named {@code actor00001}
 * and so on, and {@code bench.beans} ordinary singleton beans ({@link PlainRepository}, {@link
 * PlainService} and {@link PlainListener} in turn), named {@code bean00001} and so on, as a
 * component scan would: by class, instantiated reflectively by Spring.
 */
final class ActorRegistrar implements BeanDefinitionRegistryPostProcessor {

  private static final List<Class<?>> ORDINARY =
      List.of(PlainRepository.class, PlainService.class, PlainListener.class);

  private final int actors;
  private final int beans;

  ActorRegistrar(int actors, int beans) {
    this.actors = actors;
    this.beans = beans;
  }

  @Override
  public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
    for (int i = 1; i <= actors; i++) {
      registry.registerBeanDefinition(
          String.format(Locale.ROOT, "actor%05d", i), new RootBeanDefinition(LatchActor.class));
    }
    for (int i = 1; i <= beans; i++) {
      registry.registerBeanDefinition(
          String.format(Locale.ROOT, "bean%05d", i),
          new RootBeanDefinition(ORDINARY.get((i - 1) % ORDINARY.size())));
    }
  }
}
