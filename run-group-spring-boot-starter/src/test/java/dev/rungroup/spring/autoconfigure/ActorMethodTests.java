package dev.rungroup.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.ActorContext;
import dev.rungroup.Exit;
import dev.rungroup.Readiness;
import dev.rungroup.spring.Actor;
import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.Restart;
import dev.rungroup.spring.autoconfigure.TestActors.Capture;
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
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

/** {@code @Actor(interrupt = ...)} and method actors that take their {@link ActorContext}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ActorMethodTests {

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(RunGroupAutoConfiguration.class))
          .withPropertyValues("spring.threads.virtual.enabled=" + TestActors.virtualThreads());

  // --- interrupt = "..." ----------------------------------------------------------------------

  @Test
  void theInterruptMethodIsCalledAtTheStopInsteadOfInterruptingTheActorsThread() {
    contextRunner
        .withUserConfiguration(Released.class)
        .run(
            context -> {
              Released app = context.getBean(Released.class);
              ActorGroup group = context.getBean(ActorGroup.class);
              TestActors.await(app.started);
              context.close();
              assertThat(app.interrupts).hasValue(1);
              assertThat(app.threadInterrupted).as("the thread's interrupt flag").isFalse();
              Exit exit = group.exit().orElseThrow();
              assertThat(exit.error()).isNull();
              assertThat(exit.actors())
                  .singleElement()
                  .satisfies(
                      outcome -> {
                        assertThat(outcome.error()).isNull();
                        assertThat(outcome.interruptError()).isNull();
                        assertThat(outcome.stopped()).isTrue();
                      });
            });
  }

  @Test
  void whateverTheActorMethodThrowsOnceItsInterruptMethodWasCalledIsANormalReturn() {
    contextRunner
        .withUserConfiguration(ClosedUnderIt.class)
        .run(
            context -> {
              ClosedUnderIt app = context.getBean(ClosedUnderIt.class);
              ActorGroup group = context.getBean(ActorGroup.class);
              TestActors.await(app.started);
              context.close();
              assertThat(app.threw).as("the actor method threw").isTrue();
              Exit exit = group.exit().orElseThrow();
              assertThat(exit.error()).isNull();
              assertThat(exit.actors())
                  .singleElement()
                  .satisfies(o -> assertThat(o.error()).isNull());
            });
  }

  @Test
  void whatTheActorMethodThrowsBeforeItsInterruptMethodWasCalledIsAFailure() {
    Capture capture = new Capture();
    contextRunner
        .withBean(Capture.class, () -> capture)
        .withUserConfiguration(FailsFirst.class)
        .run(
            context -> {
              Exit exit = capture.awaitExit();
              assertThat(exit.firstActor()).contains("failsFirst.work");
              assertThat(exit.error())
                  .isInstanceOf(IllegalStateException.class)
                  .hasMessage("closed by nobody");
            });
  }

  @Test
  void whatTheInterruptMethodThrowsIsTheActorsInterruptError() {
    contextRunner
        .withUserConfiguration(FailingInterrupt.class)
        .run(
            context -> {
              FailingInterrupt app = context.getBean(FailingInterrupt.class);
              ActorGroup group = context.getBean(ActorGroup.class);
              TestActors.await(app.started);
              context.close();
              Exit exit = group.exit().orElseThrow();
              assertThat(exit.actors())
                  .singleElement()
                  .satisfies(
                      outcome ->
                          assertThat(outcome.interruptError())
                              .isInstanceOf(IllegalStateException.class)
                              .hasMessage("cannot stop"));
              app.release.countDown();
            });
  }

  @Test
  void aCheckedExceptionOfTheInterruptMethodIsKeptAsTheCauseOfTheInterruptError() {
    contextRunner
        .withUserConfiguration(CheckedInterrupt.class)
        .run(
            context -> {
              CheckedInterrupt app = context.getBean(CheckedInterrupt.class);
              ActorGroup group = context.getBean(ActorGroup.class);
              TestActors.await(app.started);
              context.close();
              Exit exit = group.exit().orElseThrow();
              assertThat(exit.actors())
                  .singleElement()
                  .satisfies(
                      outcome ->
                          assertThat(outcome.interruptError())
                              .hasMessageContaining(CheckedInterrupt.class.getName() + ".stop()")
                              .cause()
                              .isInstanceOf(java.io.IOException.class)
                              .hasMessage("socket"));
              app.release.countDown();
            });
  }

  @Test
  void theInterruptMethodIsNotCalledForAnActorWhoseMethodHasReturned() {
    contextRunner
        .withUserConfiguration(ReturnedOneShot.class)
        .run(
            context -> {
              ReturnedOneShot app = context.getBean(ReturnedOneShot.class);
              ActorGroup group = context.getBean(ActorGroup.class);
              TestActors.await(app.webStarted);
              context.close();
              assertThat(group.exit()).isPresent();
              assertThat(app.interrupts).hasValue(0);
            });
  }

  @Test
  void theInterruptMethodOfARestartedMethodActorReachesOnlyTheRunningIncarnation() {
    contextRunner
        .withPropertyValues(
            "run-group.restart.backoff-initial=0ms", "run-group.restart.backoff-max=0ms")
        .withUserConfiguration(RestartedWithInterrupt.class)
        .run(
            context -> {
              RestartedWithInterrupt app = context.getBean(RestartedWithInterrupt.class);
              ActorGroup group = context.getBean(ActorGroup.class);
              TestActors.await(app.second);
              assertThat(app.interrupts).as("no interrupt at the restart").hasValue(0);
              context.close();
              assertThat(app.interrupts).hasValue(1);
              assertThat(group.exit().orElseThrow().error()).isNull();
            });
  }

  @Test
  void anInterruptMethodNamedCloseIsCalledAgainAsTheDestroyMethodOfABeanBean() {
    contextRunner
        .withUserConfiguration(CloseTwice.class)
        .run(
            context -> {
              Server closeable = context.getBean(Server.class);
              TestActors.await(closeable.started);
              context.close();
              assertThat(closeable.journal.events())
                  .containsExactly("close (interrupt)", "run returned", "close (destroy)");
            });
  }

  @Test
  void anInterruptMethodOfAProxiedBeanIsCalledThroughTheProxy() {
    Journal journal = new Journal();
    Releasable target = new Releasable();
    contextRunner
        .withBean(
            "proxied",
            Releasable.class,
            () -> {
              ProxyFactory factory = new ProxyFactory(target);
              factory.setProxyTargetClass(true);
              factory.addAdvice(
                  (org.aopalliance.intercept.MethodInterceptor)
                      invocation -> {
                        journal.add("around " + invocation.getMethod().getName());
                        return invocation.proceed();
                      });
              return (Releasable) factory.getProxy();
            })
        .run(
            context -> {
              TestActors.await(target.started);
              context.close();
              assertThat(journal.events()).containsSubsequence("around work", "around release");
              assertThat(target.interrupts).hasValue(1);
            });
  }

  @Test
  void interruptOnABeanActorFailsTheStartNamingTheBeanAndTheFix() {
    contextRunner
        .withUserConfiguration(InterruptOnBeanActor.class)
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining("@Actor(interrupt = \"close\") on bean 'worker'")
                    .hasMessageContaining("interrupt is for method actors only")
                    .hasMessageContaining("Fix: remove interrupt"));
  }

  @Test
  void interruptNamingNoMethodFailsTheStartNamingTheBeanTheMemberAndTheFix() {
    contextRunner
        .withUserConfiguration(NoSuchInterrupt.class)
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining("@Actor(interrupt = \"halt\") on method")
                    .hasMessageContaining(NoSuchInterrupt.class.getName() + ".work()")
                    .hasMessageContaining("of bean '")
                    .hasMessageContaining("names no method of " + NoSuchInterrupt.class.getName())
                    .hasMessageContaining("Fix: name a no-argument instance method"));
  }

  @Test
  void interruptNamingAMethodWithParametersFailsTheStart() {
    contextRunner
        .withUserConfiguration(InterruptWithParameters.class)
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining(InterruptWithParameters.class.getName() + ".halt(...)")
                    .hasMessageContaining("which takes parameters: an interrupt method takes none")
                    .hasMessageContaining("Fix:"));
  }

  @Test
  void interruptNamingAStaticMethodFailsTheStart() {
    contextRunner
        .withUserConfiguration(StaticInterrupt.class)
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining(
                        "names the static method " + StaticInterrupt.class.getName() + ".halt()")
                    .hasMessageContaining("Fix:"));
  }

  @Test
  void interruptNamingTheActorMethodItselfOrAnotherActorMethodFailsTheStart() {
    contextRunner
        .withUserConfiguration(InterruptIsItself.class)
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining("names the actor method itself")
                    .hasMessageContaining("Fix:"));
    contextRunner
        .withUserConfiguration(InterruptIsAnotherActor.class)
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining(
                        InterruptIsAnotherActor.class.getName()
                            + ".other(), which is an @Actor method itself")
                    .hasMessageContaining("Fix:"));
  }

  @Test
  void aPrivateInterruptMethodOfAProxiedBeanFailsTheStart() {
    contextRunner
        .withBean(
            "proxied",
            PrivateInterrupt.class,
            () -> {
              ProxyFactory factory = new ProxyFactory(new PrivateInterrupt());
              factory.setProxyTargetClass(true);
              return (PrivateInterrupt) factory.getProxy();
            })
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining("@Actor(interrupt = \"halt\")")
                    .hasMessageContaining("of bean 'proxied'")
                    .hasMessageContaining("which the bean's proxy cannot reach")
                    .hasMessageContaining("Fix: make the interrupt method public"));
  }

  // --- an ActorContext parameter --------------------------------------------------------------

  @Test
  void aMethodActorThatTakesAnActorContextGetsTheContextOfEachIncarnation() {
    contextRunner
        .withPropertyValues(
            "run-group.restart.backoff-initial=0ms", "run-group.restart.backoff-max=0ms")
        .withUserConfiguration(WithContext.class)
        .run(
            context -> {
              WithContext app = context.getBean(WithContext.class);
              TestActors.await(app.second);
              assertThat(app.seen)
                  .containsExactly("withContext.work restarts=0", "withContext.work restarts=1");
              assertThat(app.sameAsCurrent).isTrue();
            });
  }

  @Test
  void aSignalledMethodActorSignalsThroughItsActorContextParameter() {
    contextRunner
        .withUserConfiguration(SignalsThroughParameter.class)
        .run(
            context -> {
              SignalsThroughParameter app = context.getBean(SignalsThroughParameter.class);
              TestActors.await(app.webStarted);
              assertThat(app.journal.events()).containsExactly("storage ready", "web started");
            });
  }

  @Test
  void anActorMethodWithAParameterOtherThanActorContextFailsTheStartSayingWhatItMayTake() {
    contextRunner
        .withUserConfiguration(ContextAndMore.class)
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining(ContextAndMore.class.getName() + ".work(...)")
                    .hasMessageContaining(
                        "takes no arguments or one dev.rungroup.ActorContext (the context of its"
                            + " incarnation), this one takes 2 (ActorContext, String)")
                    .hasMessageContaining("or keep a single ActorContext parameter"));
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

  // --- configurations -------------------------------------------------------------------------

  @Configuration(proxyBeanMethods = false)
  static class Released extends Releasable {}

  static class Releasable {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger interrupts = new AtomicInteger();
    volatile boolean threadInterrupted = true;

    @Actor(name = "worker", interrupt = "release")
    void work() throws InterruptedException {
      started.countDown();
      release.await();
      threadInterrupted = Thread.currentThread().isInterrupted();
    }

    void release() {
      interrupts.incrementAndGet();
      release.countDown();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class ClosedUnderIt {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);
    volatile boolean threw;

    @Actor(interrupt = "close")
    void serve() throws InterruptedException {
      started.countDown();
      closed.await();
      threw = true;
      throw new IllegalStateException("socket closed");
    }

    void close() {
      closed.countDown();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class FailsFirst {
    @Actor(name = "failsFirst.work", interrupt = "halt")
    void work() {
      throw new IllegalStateException("closed by nobody");
    }

    void halt() {}
  }

  @Configuration(proxyBeanMethods = false)
  static class FailingInterrupt {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Actor(interrupt = "stop")
    void work() throws InterruptedException {
      started.countDown();
      release.await();
    }

    void stop() {
      release.countDown();
      throw new IllegalStateException("cannot stop");
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class CheckedInterrupt {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Actor(interrupt = "stop")
    void work() throws InterruptedException {
      started.countDown();
      release.await();
    }

    void stop() throws java.io.IOException {
      release.countDown();
      throw new java.io.IOException("socket");
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class ReturnedOneShot {
    final AtomicInteger interrupts = new AtomicInteger();
    final CountDownLatch webStarted = new CountDownLatch(1);

    @Actor(name = "migrations", oneShot = true, interrupt = "halt")
    void migrate() {}

    void halt() {
      interrupts.incrementAndGet();
    }

    @Actor(name = "web", after = "migrations")
    void web() throws InterruptedException {
      webStarted.countDown();
      new CountDownLatch(1).await();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class RestartedWithInterrupt {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger interrupts = new AtomicInteger();
    final CountDownLatch second = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Actor(restart = Restart.ON_FAILURE, interrupt = "halt")
    void poll() throws InterruptedException {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("blip");
      }
      second.countDown();
      release.await();
    }

    void halt() {
      interrupts.incrementAndGet();
      release.countDown();
    }
  }

  /** A bean with a close method, run as an actor that close stops. */
  static class Server {
    final Journal journal = new Journal();
    final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean stopped;

    @Actor(interrupt = "close")
    void run() throws InterruptedException {
      started.countDown();
      closed.await();
      journal.add("run returned");
      stopped = true;
    }

    public void close() {
      journal.add(stopped ? "close (destroy)" : "close (interrupt)");
      closed.countDown();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class CloseTwice {
    @Bean
    Server closeable() {
      return new Server();
    }
  }

  /** An actor bean that also has a close method. */
  static class BeanActorWithClose extends TestActors.BlockingActor {
    void close() {}
  }

  @Configuration(proxyBeanMethods = false)
  static class InterruptOnBeanActor {
    @Bean
    @Actor(interrupt = "close")
    BeanActorWithClose worker() {
      return new BeanActorWithClose();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class NoSuchInterrupt {
    @Actor(interrupt = "halt")
    void work() {}
  }

  @Configuration(proxyBeanMethods = false)
  static class InterruptWithParameters {
    @Actor(interrupt = "halt")
    void work() {}

    void halt(boolean now) {}
  }

  @Configuration(proxyBeanMethods = false)
  static class StaticInterrupt {
    @Actor(interrupt = "halt")
    void work() {}

    static void halt() {}
  }

  @Configuration(proxyBeanMethods = false)
  static class InterruptIsItself {
    @Actor(interrupt = "work")
    void work() {}
  }

  @Configuration(proxyBeanMethods = false)
  static class InterruptIsAnotherActor {
    @Actor(interrupt = "other")
    void work() {}

    @Actor
    void other() {}
  }

  static class PrivateInterrupt {
    @Actor(interrupt = "halt")
    public void work() {}

    @SuppressWarnings("UnusedMethod") // named by the annotation
    private void halt() {}
  }

  @Configuration(proxyBeanMethods = false)
  static class WithContext {
    final List<String> seen = new ArrayList<>();
    final CountDownLatch second = new CountDownLatch(1);
    volatile boolean sameAsCurrent = true;

    @Actor(name = "withContext.work", restart = Restart.ON_FAILURE)
    void work(ActorContext context) throws InterruptedException {
      synchronized (seen) {
        seen.add(context.name() + " restarts=" + context.restarts());
      }
      if (context != ActorContext.current()) {
        sameAsCurrent = false;
      }
      if (context.restarts() == 0) {
        throw new IllegalStateException("first incarnation fails");
      }
      second.countDown();
      new CountDownLatch(1).await();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class SignalsThroughParameter {
    final Journal journal = new Journal();
    final CountDownLatch webStarted = new CountDownLatch(1);

    @Actor(name = "storage", readiness = Readiness.SIGNALLED)
    void storage(ActorContext context) throws InterruptedException {
      journal.add("storage ready");
      context.ready();
      new CountDownLatch(1).await();
    }

    @Actor(name = "web", after = "storage")
    void web() throws InterruptedException {
      journal.add("web started");
      webStarted.countDown();
      new CountDownLatch(1).await();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class ContextAndMore {
    @Actor
    void work(ActorContext context, @Nullable String more) {}
  }
}
