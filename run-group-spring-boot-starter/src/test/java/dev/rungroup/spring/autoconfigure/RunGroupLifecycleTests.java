package dev.rungroup.spring.autoconfigure;

import static dev.rungroup.spring.autoconfigure.TestActors.WAIT_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.Group;
import dev.rungroup.GroupListener;
import dev.rungroup.spring.Actor;
import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.autoconfigure.TestActors.BlockingActor;
import dev.rungroup.spring.state.RunGroupActorStates;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The lifecycle's own rules: no user code under its lock, and how its beans may be made. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RunGroupLifecycleTests {

  /** The method actor's name: the bean name SpringApplication gives the configuration class. */
  private static final String POLL = "runGroupLifecycleTests.LazyApplication.poll";

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(RunGroupAutoConfiguration.class))
          .withPropertyValues("spring.threads.virtual.enabled=" + TestActors.virtualThreads());

  /** The lock rule is checked by assertions: they must be on for the starter's classes. */
  @Test
  void assertionsAreOnForTheStartersClasses() {
    assertThat(RunGroupLifecycle.class.desiredAssertionStatus()).isTrue();
    assertThat(RunGroupActorStates.class.desiredAssertionStatus()).isTrue();
    boolean checked = false;
    try {
      assert false : "assertions are on";
    } catch (AssertionError expected) {
      checked = true;
    }
    assertThat(checked).as("assert statements run").isTrue();
  }

  @Test
  void listenerBeanWhoseCreationNeedsTheActorGroupReceivesTheRunsEvents() {
    contextRunner
        .withUserConfiguration(ListenerNeedingTheGroup.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              GroupWatcher watcher = context.getBean(GroupWatcher.class);
              assertThat(watcher.seen.get(WAIT_SECONDS, TimeUnit.SECONDS))
                  .isEqualTo("worker started, group of [worker]");
              assertThat(watcher.group).isSameAs(context.getBean(ActorGroup.class));
            });
  }

  @Test
  void actorsStartWithLazyInitialization() throws Exception {
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(LazyApplication.class)
            .web(WebApplicationType.NONE)
            .properties(
                "spring.main.lazy-initialization=true",
                "run-group.exit-process=false",
                "spring.threads.virtual.enabled=" + TestActors.virtualThreads())
            .run()) {
      LazyApplication application = context.getBean(LazyApplication.class);
      TestActors.await(application.worker.started);
      assertThat(application.methodActorStarted.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      ActorGroup group = context.getBean(ActorGroup.class);
      assertThat(group.state()).isEqualTo(Group.State.RUNNING);
      assertThat(group.actorNames()).containsExactlyInAnyOrder("worker", POLL);
      assertThat(application.listener.started.get(WAIT_SECONDS, TimeUnit.SECONDS))
          .isIn("worker", POLL);
    }
  }

  // --- fixtures ---------------------------------------------------------------------------------

  /** A listener that gets the group by constructor injection and reads it on an event. */
  static final class GroupWatcher implements GroupListener {
    final ActorGroup group;
    final CompletableFuture<String> seen = new CompletableFuture<>();

    GroupWatcher(ActorGroup group) {
      this.group = group;
    }

    @Override
    public void actorStarted(String actor, Thread thread) {
      seen.complete(actor + " started, group of " + group.actorNames());
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class ListenerNeedingTheGroup {
    @Bean
    @Actor
    BlockingActor worker() {
      return new BlockingActor();
    }

    @Bean
    GroupWatcher groupWatcher(ActorGroup group) {
      return new GroupWatcher(group);
    }
  }

  /** A listener bean, lazy like every other bean of the application. */
  static final class StartListener implements GroupListener {
    final CompletableFuture<String> started = new CompletableFuture<>();

    @Override
    public void actorStarted(String actor, Thread thread) {
      started.complete(actor);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(RunGroupAutoConfiguration.class)
  static class LazyApplication {
    final BlockingActor worker = new BlockingActor();
    final StartListener listener = new StartListener();
    final CountDownLatch methodActorStarted = new CountDownLatch(1);

    @Bean
    @Actor
    BlockingActor worker() {
      return worker;
    }

    @Bean
    StartListener startListener() {
      return listener;
    }

    @Actor
    void poll() throws InterruptedException {
      methodActorStarted.countDown();
      new CountDownLatch(1).await();
    }
  }
}
