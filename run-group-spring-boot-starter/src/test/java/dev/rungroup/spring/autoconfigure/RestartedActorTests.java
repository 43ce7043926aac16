package dev.rungroup.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.Interruptible;
import dev.rungroup.spring.Actor;
import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.Restart;
import dev.rungroup.spring.autoconfigure.TestActors.Journal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.AbstractThrowableAssert;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.annotation.Order;

/** What a restart runs again: the same singleton bean, or a fresh prototype bean. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RestartedActorTests {

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(RunGroupAutoConfiguration.class))
          .withPropertyValues(
              "spring.threads.virtual.enabled=" + TestActors.virtualThreads(),
              "run-group.restart.backoff-initial=0ms",
              "run-group.restart.backoff-max=0ms");

  @Test
  void aSingletonBeanActorWithARestartPolicyIsExecutedAgainOnTheSameBean() {
    Incarnations incarnations = new Incarnations();
    contextRunner
        .withBean("worker", Worker.class, () -> new Worker(incarnations))
        .run(
            context -> {
              TestActors.await(incarnations.second);
              assertThat(incarnations.executed()).hasSize(2);
              assertThat(incarnations.executed().get(0))
                  .isSameAs(incarnations.executed().get(1))
                  .isSameAs(context.getBean(Worker.class));
              assertThat(incarnations.journal.events())
                  .containsExactly("execute 1", "interrupt 1", "execute 2");
            });
  }

  @Test
  void aPrototypeActorBeanWithARestartPolicyIsAFreshBeanPerIncarnationMadeOnTheActorsThread() {
    Incarnations incarnations = new Incarnations();
    contextRunner
        .withBean(
            "worker",
            Worker.class,
            () -> new Worker(incarnations),
            definition -> definition.setScope("prototype"))
        .run(
            context -> {
              TestActors.await(incarnations.second);
              List<Worker> created = incarnations.created();
              assertThat(created).as("no bean made at the scan").hasSize(2);
              assertThat(created.get(0)).isNotSameAs(created.get(1));
              assertThat(incarnations.executed()).containsExactlyElementsOf(created);
              for (Worker worker : created) {
                assertThat(worker.createdOn).isSameAs(worker.executedOn);
                assertThat(worker.createdOn.getName()).isEqualTo("worker");
              }
              assertThat(incarnations.journal.events())
                  .containsExactly("execute 1", "interrupt 1", "execute 2");
              context.close();
              assertThat(incarnations.journal.events()).endsWith("interrupt 2");
              assertThat(incarnations.created()).hasSize(2);
            });
  }

  @Test
  void aPrototypeActorBeanIsOrderedByItsOrderAnnotation() {
    contextRunner
        .withBean(
            "fresh",
            OrderedWorker.class,
            () -> new OrderedWorker(new Incarnations()),
            definition -> definition.setScope("prototype"))
        .withUserConfiguration(OrderedSingleton.class)
        .run(
            context ->
                assertThat(context.getBean(ActorGroup.class).actorNames())
                    .containsExactly("fresh", "steady"));
  }

  @Test
  void aPrototypeActorBeanWithoutARestartPolicyFailsTheStartWithTheHint() {
    contextRunner
        .withBean(
            "perUse",
            Unsupervised.class,
            Unsupervised::new,
            definition -> definition.setScope("prototype"))
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining("@Actor on bean 'perUse'")
                    .hasMessageContaining("scope 'prototype', but an actor must be a singleton")
                    .hasMessageContaining(
                        "unless it is restarted: a prototype-scoped actor bean with a restart"
                            + " policy gets a fresh bean per incarnation")
                    .hasMessageContaining(
                        "Fix: remove the scope, give the actor @Actor(restart ="
                            + " Restart.ON_FAILURE)"));
  }

  @Test
  void actorMethodsOfAPrototypeBeanFailTheStartEvenWithARestartPolicy() {
    contextRunner
        .withBean(
            "perUse",
            SupervisedMethod.class,
            SupervisedMethod::new,
            definition -> definition.setScope("prototype"))
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining("@Actor on bean 'perUse'")
                    .hasMessageContaining("its @Actor methods run on one bean")
                    .hasMessageContaining("Fix: remove the scope, or move the methods"));
  }

  @Test
  void anActorBeanOfAnotherScopeFailsTheStartEvenWithARestartPolicy() {
    Incarnations incarnations = new Incarnations();
    contextRunner
        .withBean(
            "perRequest",
            Worker.class,
            () -> new Worker(incarnations),
            definition -> definition.setScope("request"))
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining("@Actor on bean 'perRequest'")
                    .hasMessageContaining("scope 'request', but an actor must be a singleton")
                    .hasMessageContaining("Fix: remove the scope, or remove @Actor."));
  }

  @Test
  void aPrototypeBeanMethodWhoseTypeIsNoInterruptibleFailsTheStart() {
    contextRunner
        .withUserConfiguration(PrototypeOfObject.class)
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining("@Actor on bean 'thing'")
                    .hasMessageContaining(
                        "the bean's type (java.lang.Object) does not implement"
                            + " dev.rungroup.Interruptible")
                    .hasMessageContaining("Fix: implement Interruptible"));
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

  /** What the workers of one test did: which were made, which executed, in order. */
  static final class Incarnations {
    final Journal journal = new Journal();
    final CountDownLatch second = new CountDownLatch(1);
    final AtomicInteger executions = new AtomicInteger();
    private final List<Worker> created = new ArrayList<>();
    private final List<Worker> executed = new ArrayList<>();

    synchronized void created(Worker worker) {
      created.add(worker);
    }

    synchronized void executed(Worker worker) {
      executed.add(worker);
    }

    synchronized List<Worker> created() {
      return List.copyOf(created);
    }

    synchronized List<Worker> executed() {
      return List.copyOf(executed);
    }
  }

  /** Fails in its first execution, then runs until interrupted; counts what it was made for. */
  @Actor(name = "worker", restart = Restart.ON_FAILURE)
  static class Worker implements Interruptible {
    private final Incarnations incarnations;
    final Thread createdOn;
    volatile @Nullable Thread executedOn;
    private volatile @Nullable CountDownLatch running;
    private volatile int execution;

    Worker(Incarnations incarnations) {
      this.incarnations = incarnations;
      this.createdOn = Thread.currentThread();
      incarnations.created(this);
    }

    @Override
    public void execute() throws InterruptedException {
      executedOn = Thread.currentThread();
      int n = incarnations.executions.incrementAndGet();
      execution = n;
      incarnations.executed(this);
      incarnations.journal.add("execute " + n);
      if (n == 1) {
        throw new IllegalStateException("first execution fails");
      }
      CountDownLatch latch = new CountDownLatch(1);
      running = latch;
      incarnations.second.countDown();
      latch.await();
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      incarnations.journal.add("interrupt " + execution);
      CountDownLatch latch = running;
      if (latch != null) {
        latch.countDown();
      }
    }
  }

  @Actor(name = "fresh", restart = Restart.ALWAYS)
  @Order(1)
  static class OrderedWorker extends Worker {
    OrderedWorker(Incarnations incarnations) {
      super(incarnations);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OrderedSingleton {
    @Bean
    @Actor(name = "steady")
    @Order(2)
    TestActors.BlockingActor steady() {
      return new TestActors.BlockingActor();
    }
  }

  @Actor
  static class Unsupervised extends TestActors.BlockingActor {}

  static class SupervisedMethod {
    @Actor(restart = Restart.ON_FAILURE)
    void work() throws InterruptedException {
      new CountDownLatch(1).await();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class PrototypeOfObject {
    @Bean
    @Scope("prototype")
    @Actor(restart = Restart.ON_FAILURE)
    Object thing() {
      return new TestActors.BlockingActor();
    }
  }
}
