package dev.rungroup.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.ActorContext;
import dev.rungroup.Group;
import dev.rungroup.Readiness;
import dev.rungroup.spring.Actor;
import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.Restart;
import dev.rungroup.spring.autoconfigure.TestActors.Journal;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.annotation.Order;

/**
 * {@code @Actor(after, readiness, oneShot, restart)}: the core's graph and supervision, and the
 * order the starter adds the actors in.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ActorGraphTests {

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(RunGroupAutoConfiguration.class))
          .withPropertyValues("spring.threads.virtual.enabled=" + TestActors.virtualThreads());

  @Test
  void anActorStartsOnlyOnceTheActorsItNamesInAfterAreReadyAndStopsBeforeThem() {
    contextRunner
        .withUserConfiguration(StorageAndWeb.class)
        .run(
            context -> {
              StorageAndWeb app = context.getBean(StorageAndWeb.class);
              TestActors.await(app.storageOpening);
              assertThat(app.webStarted.getCount()).isEqualTo(1);
              app.storageOpened.countDown();
              TestActors.await(app.webStarted);
              context.close();
              assertThat(app.journal.events())
                  .containsExactly(
                      "storage opening",
                      "storage ready",
                      "web started",
                      "web stopped",
                      "storage stopped");
            });
  }

  @Test
  void theStarterAddsTheActorsInATopologicalOrderOfAfterWithOrderAsTieBreak() {
    contextRunner
        .withUserConfiguration(Ordered.class)
        .run(
            context ->
                assertThat(context.getBean(ActorGroup.class).actorNames())
                    // placeable first: cache (@Order 3), storage (4); then scrape (1), web (2)
                    .containsExactly("cache", "storage", "scrape", "web"));
  }

  @Test
  void withoutOrderTheTiesOfTheTopologicalOrderGoByRegistration() {
    contextRunner
        .withBean("first", AfterZeta.class)
        .withBean("zeta", Plain.class)
        .withBean("alpha", Plain.class)
        .run(
            context ->
                assertThat(context.getBean(ActorGroup.class).actorNames())
                    // placeable first: zeta (registered 2nd), then first (1st) before alpha (3rd)
                    .containsExactly("zeta", "first", "alpha"));
  }

  @Test
  void anAfterNameThatIsNoActorFailsTheStartNamingTheActorAndTheFix() {
    contextRunner
        .withUserConfiguration(UnknownName.class)
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining("actor 'web'")
                    .hasMessageContaining("starts after 'storage'")
                    .hasMessageContaining("which is no actor of this context")
                    .hasMessageContaining("Fix:"));
  }

  @Test
  void aCycleOfAfterFailsTheStartNamingEveryActorOfTheCycle() {
    contextRunner
        .withUserConfiguration(Cycle.class)
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining("start after one another in a cycle")
                    .hasMessageContaining("'a'")
                    .hasMessageContaining("'b'")
                    .hasMessageContaining("'c'")
                    .hasMessageNotContaining("'d'")
                    .hasMessageContaining("Fix: remove one of these names"));
  }

  @Test
  void oneShotWithRestartAlwaysFailsTheStartNamingTheActor() {
    contextRunner
        .withUserConfiguration(OneShotAlways.class)
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining("OneShotAlways.migrate()'")
                    .hasMessageContaining("oneShot = true and restart = ALWAYS")
                    .hasMessageContaining("Fix: restart = Restart.ON_FAILURE"));
  }

  @Test
  void aOneShotActorsNormalReturnEndsThatActorOnlyAndItsDependentsStart() {
    contextRunner
        .withUserConfiguration(Migrations.class)
        .run(
            context -> {
              Migrations app = context.getBean(Migrations.class);
              TestActors.await(app.webStarted);
              assertThat(app.migrated).hasValue(1);
              assertThat(context.getBean(ActorGroup.class).state()).isEqualTo(Group.State.RUNNING);
              assertThat(context.isActive()).isTrue();
            });
  }

  @Test
  void aFailingMethodActorWithRestartOnFailureIsInvokedAgainWhileTheContextStaysUp() {
    contextRunner
        .withUserConfiguration(Flaky.class)
        .run(
            context -> {
              Flaky app = context.getBean(Flaky.class);
              TestActors.await(app.third);
              assertThat(app.calls).hasValue(3);
              assertThat(context.isActive()).isTrue();
              assertThat(context.getBean(ActorGroup.class).state()).isEqualTo(Group.State.RUNNING);
            });
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertThatStartupFailure(
      AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    Throwable failure = context.getStartupFailure();
    if (failure == null) {
      throw new AssertionError("the context started");
    }
    return assertThat(NestedExceptionUtils.getMostSpecificCause(failure));
  }

  @Configuration(proxyBeanMethods = false)
  static class StorageAndWeb {
    final Journal journal = new Journal();
    final CountDownLatch storageOpening = new CountDownLatch(1);
    final CountDownLatch storageOpened = new CountDownLatch(1);
    final CountDownLatch webStarted = new CountDownLatch(1);

    @Actor(name = "storage", readiness = Readiness.SIGNALLED)
    void storage() throws InterruptedException {
      journal.add("storage opening");
      storageOpening.countDown();
      storageOpened.await();
      journal.add("storage ready");
      ActorContext.current().ready();
      try {
        new CountDownLatch(1).await();
      } finally {
        journal.add("storage stopped");
      }
    }

    @Actor(name = "web", after = "storage")
    @Order(-1) // ordered first, but after the storage
    void web() throws InterruptedException {
      journal.add("web started");
      webStarted.countDown();
      try {
        new CountDownLatch(1).await();
      } finally {
        journal.add("web stopped");
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Ordered {
    @Actor(
        name = "scrape",
        after = {"storage", "cache"})
    @Order(1)
    void scrape() throws InterruptedException {
      new CountDownLatch(1).await();
    }

    @Actor(name = "web", after = "storage")
    @Order(2)
    void web() throws InterruptedException {
      new CountDownLatch(1).await();
    }

    @Actor(name = "cache")
    @Order(3)
    void cache() throws InterruptedException {
      new CountDownLatch(1).await();
    }

    @Actor(name = "storage")
    @Order(4)
    void storage() throws InterruptedException {
      new CountDownLatch(1).await();
    }
  }

  @Actor
  static class Plain extends TestActors.BlockingActor {}

  @Actor(after = "zeta")
  static class AfterZeta extends TestActors.BlockingActor {}

  @Configuration(proxyBeanMethods = false)
  static class UnknownName {
    @Actor(name = "web", after = "storage")
    void web() throws InterruptedException {
      new CountDownLatch(1).await();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Cycle {
    @Actor(name = "a", after = "c")
    void a() throws InterruptedException {
      new CountDownLatch(1).await();
    }

    @Actor(name = "b", after = "a")
    void b() throws InterruptedException {
      new CountDownLatch(1).await();
    }

    @Actor(name = "c", after = "b")
    void c() throws InterruptedException {
      new CountDownLatch(1).await();
    }

    @Actor(name = "d", after = "a")
    void d() throws InterruptedException {
      new CountDownLatch(1).await();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OneShotAlways {
    @Actor(oneShot = true, restart = Restart.ALWAYS)
    void migrate() {}
  }

  @Configuration(proxyBeanMethods = false)
  static class Migrations {
    final AtomicInteger migrated = new AtomicInteger();
    final CountDownLatch webStarted = new CountDownLatch(1);

    @Actor(name = "migrations", oneShot = true)
    void migrate() {
      migrated.incrementAndGet();
    }

    @Actor(name = "web", after = "migrations")
    void web() throws InterruptedException {
      webStarted.countDown();
      new CountDownLatch(1).await();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Flaky {
    final AtomicInteger calls = new AtomicInteger();
    final CountDownLatch third = new CountDownLatch(1);

    @Actor(name = "upstream", restart = Restart.ON_FAILURE)
    void poll() throws InterruptedException {
      if (calls.incrementAndGet() < 3) {
        throw new IllegalStateException("upstream blip");
      }
      third.countDown();
      new CountDownLatch(1).await();
    }
  }
}
