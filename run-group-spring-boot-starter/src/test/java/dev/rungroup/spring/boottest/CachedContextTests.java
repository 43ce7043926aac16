package dev.rungroup.spring.boottest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.spring.Actor;
import dev.rungroup.spring.ActorGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Test classes with actors that share a cached context, as a build runs them: each scenario
 * launches two {@code @SpringBootTest} classes, one after the other, in this JVM (the JUnit
 * Platform's {@link EngineTestKit}, so that they share Spring's context cache) and asserts on both
 * outcomes and on what the classes saw. The last class of each scenario is {@code @DirtiesContext},
 * so no scenario leaves a context behind.
 *
 * <p>The build runs this class twice: with Spring's default pausing of cached contexts ({@code
 * ON_CONTEXT_SWITCH}: a context is not paused when the next class uses it too) and with {@code
 * -Dspring.test.context.cache.pause=always} (the surefire execution {@code context-pause-always}),
 * where every context is paused between the two classes and restarted under the second; a pauseable
 * probe bean proves that it was.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CachedContextTests {

  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Whether this JVM runs with Spring's test-context pausing forced on. */
  private static final boolean PAUSE_ALWAYS =
      "always".equalsIgnoreCase(System.getProperty("spring.test.context.cache.pause", ""));

  /** What the launched classes saw, by key; cleared by each scenario. */
  private static final Map<String, Object> seen = new ConcurrentHashMap<>();

  // ---------------------------------------------------------------------------------------------
  // Two classes, one cached context, one run of its actors

  @Test
  void twoTestClassesWithOneConfigurationShareOneContextAndOneRunOfItsActors() {
    SharedApp.worker = new Worker();
    Events tests = launch(FirstUser.class, SecondUser.class);

    tests.assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
    assertThat(seen.get("second.context")).isSameAs(seen.get("first.context"));
    assertThat(SharedApp.worker.runs).as("the actor ran once for both classes").hasValue(1);
    assertThat(seen.get("second.state")).isEqualTo(Group.State.RUNNING);
    assertProbe(SharedApp.probe);
    assertThat(SharedApp.worker.interrupted.getCount())
        .as("the second class's @DirtiesContext closed the context, which stopped the actor")
        .isZero();
  }

  @Order(1)
  @SpringBootTest(classes = SharedApp.class)
  static class FirstUser {
    @Autowired ConfigurableApplicationContext context;
    @Autowired ActorGroup group;

    @Test
    void seesTheActorRunning() throws InterruptedException {
      seen.put("first.context", context);
      assertThat(group.awaitReady(WAIT)).isTrue();
      assertThat(group.state()).isEqualTo(Group.State.RUNNING);
    }
  }

  @Order(2)
  @SpringBootTest(classes = SharedApp.class)
  @DirtiesContext
  static class SecondUser {
    @Autowired ConfigurableApplicationContext context;
    @Autowired ActorGroup group;

    @Test
    void seesTheSameContextWithTheSameRun() throws InterruptedException {
      seen.put("second.context", context);
      assertThat(group.awaitReady(WAIT)).isTrue();
      seen.put("second.state", group.state());
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class SharedApp {
    static Worker worker = new Worker();
    static PauseProbe probe = new PauseProbe();

    @Bean
    Worker worker() {
      return worker;
    }

    @Bean
    PauseProbe probe() {
      probe = new PauseProbe();
      return probe;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // @DirtiesContext: the next class gets a fresh context and a fresh run

  @Test
  void afterADirtiedContextTheNextClassGetsAFreshContextWhoseActorsRunAgain() {
    ImportApp.runs.set(0);
    Events tests = launch(ImportEnds.class, ImportRunsAgain.class);

    tests.assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
    assertThat(seen.get("again.context")).isNotSameAs(seen.get("ends.context"));
    assertThat(ImportApp.runs).as("one run per context").hasValue(2);
  }

  @Order(1)
  @SpringBootTest(classes = ImportApp.class)
  @DirtiesContext // its group has ended
  static class ImportEnds {
    @Autowired ConfigurableApplicationContext context;
    @Autowired ActorGroup group;
    @Autowired Importer importer;

    @Test
    void theImporterReturnsAndTheGroupEnds() throws InterruptedException {
      seen.put("ends.context", context);
      assertThat(group.awaitReady(WAIT)).isTrue();
      importer.finish.countDown();
      Exit exit = group.awaitExit(WAIT).orElseThrow();
      assertThat(exit.firstActor()).contains("importer.run");
    }
  }

  @Order(2)
  @SpringBootTest(classes = ImportApp.class)
  @DirtiesContext
  static class ImportRunsAgain {
    @Autowired ConfigurableApplicationContext context;
    @Autowired ActorGroup group;

    @Test
    void theImporterRunsInTheFreshContext() throws InterruptedException {
      seen.put("again.context", context);
      assertThat(group.awaitReady(WAIT)).isTrue();
      assertThat(group.state()).isEqualTo(Group.State.RUNNING);
      assertThat(group.exit()).isEmpty();
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class ImportApp {
    static final AtomicInteger runs = new AtomicInteger();

    @Bean
    Importer importer() {
      return new Importer(runs);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The guard: a class whose actor fails leaves the shared context usable for the next class

  @Test
  void aClassWhoseActorFailsDoesNotFailTheNextCorrectClassThatSharesItsContext() {
    GuardApp.worker = new Worker();
    Events tests = launch(ActorFails.class, CorrectClass.class);

    tests.assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
    assertThat(seen.get("correct.context")).isSameAs(seen.get("fails.context"));
    assertThat(seen.get("correct.answer")).isEqualTo("hello, cache");
    assertProbe(GuardApp.probe);
  }

  @Order(1)
  @SpringBootTest(classes = GuardApp.class)
  static class ActorFails {
    @Autowired ConfigurableApplicationContext context;
    @Autowired ActorGroup group;

    @Test
    void theWorkerFailsAndTheExitSaysSo() throws InterruptedException {
      seen.put("fails.context", context);
      assertThat(group.awaitReady(WAIT)).isTrue();
      GuardApp.worker.fail(new IllegalStateException("disk full"));
      Exit exit = group.awaitExit(WAIT).orElseThrow();
      assertThat(exit.firstActor()).contains("worker.work");
      assertThat(exit.error()).hasMessage("disk full");
      assertThat(context.isActive()).as("the context stays open").isTrue();
    }
  }

  /** Knows nothing of actors: it only uses a bean of the context it shares. */
  @Order(2)
  @SpringBootTest(classes = GuardApp.class)
  @DirtiesContext
  static class CorrectClass {
    @Autowired ConfigurableApplicationContext context;
    @Autowired Greeter greeter;

    @Test
    void usesABeanOfTheContext() {
      seen.put("correct.context", context);
      seen.put("correct.answer", greeter.greet("cache"));
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class GuardApp {
    static Worker worker = new Worker();
    static PauseProbe probe = new PauseProbe();

    @Bean
    Worker worker() {
      return worker;
    }

    @Bean
    Greeter greeter() {
      return new Greeter();
    }

    @Bean
    PauseProbe probe() {
      probe = new PauseProbe();
      return probe;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Pausing: a one-shot actor does not run again, a failed actor does not come back

  @Test
  void acrossAPauseAOneShotActorDoesNotRunAgainAndAFailedActorDoesNotComeBack() {
    MigrationApp.migrations.set(0);
    MigrationApp.worker = new Worker();
    Events tests = launch(MigratesThenFails.class, AfterThePause.class);

    tests.assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
    assertThat(MigrationApp.migrations).as("the one-shot actor ran once").hasValue(1);
    assertThat(MigrationApp.worker.runs).as("the failed actor never came back").hasValue(1);
    assertThat(seen.get("after.exit")).isSameAs(seen.get("fails.exit"));
    assertThat(seen.get("after.state")).isEqualTo(Group.State.STOPPED);
    assertProbe(MigrationApp.probe);
  }

  @Order(1)
  @SpringBootTest(classes = MigrationApp.class)
  static class MigratesThenFails {
    @Autowired ActorGroup group;

    @Test
    void theMigrationIsDoneThenTheWorkerFails() throws InterruptedException {
      assertThat(group.awaitReady(WAIT)).as("ready: the one-shot migration is done").isTrue();
      assertThat(MigrationApp.migrations).hasValue(1);
      MigrationApp.worker.fail(new IllegalStateException("broken"));
      seen.put("fails.exit", group.awaitExit(WAIT).orElseThrow());
    }
  }

  @Order(2)
  @SpringBootTest(classes = MigrationApp.class)
  @DirtiesContext
  static class AfterThePause {
    @Autowired ActorGroup group;

    @Test
    void theGroupIsStillTheEndedOne() {
      seen.put("after.exit", group.exit().orElseThrow());
      seen.put("after.state", group.state());
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class MigrationApp {
    static final AtomicInteger migrations = new AtomicInteger();
    static Worker worker = new Worker();
    static PauseProbe probe = new PauseProbe();

    @Bean
    Migration migration() {
      return new Migration(migrations);
    }

    @Bean
    Worker worker() {
      return worker;
    }

    @Bean
    PauseProbe probe() {
      probe = new PauseProbe();
      return probe;
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Launches the classes in this order in this JVM and returns their tests' events. */
  private static Events launch(Class<?>... classes) {
    seen.clear();
    List<ClassSelector> selectors = new ArrayList<>();
    for (Class<?> type : classes) {
      selectors.add(selectClass(type));
    }
    Events tests =
        EngineTestKit.engine("junit-jupiter")
            .configurationParameter(
                "junit.jupiter.testclass.order.default",
                ClassOrderer.OrderAnnotation.class.getName())
            .selectors(selectors.toArray(ClassSelector[]::new))
            .execute()
            .testEvents();
    tests.failed().stream()
        .forEach(
            event ->
                event
                    .getPayload(TestExecutionResult.class)
                    .flatMap(TestExecutionResult::getThrowable)
                    .ifPresent(Throwable::printStackTrace));
    return tests;
  }

  /** With pausing forced on, the context was paused between the classes and restarted. */
  private static void assertProbe(PauseProbe probe) {
    assertThat(probe.starts.get())
        .as("starts of a pauseable bean (paused and restarted between the classes when forced)")
        .isEqualTo(PAUSE_ALWAYS ? 2 : 1);
  }

  /** An {@code @Actor} method that runs until interrupted, or fails when told to. */
  static class Worker {
    final AtomicInteger runs = new AtomicInteger();
    final CountDownLatch interrupted = new CountDownLatch(1);
    private final BlockingQueue<RuntimeException> failure = new LinkedBlockingQueue<>();

    void fail(RuntimeException error) {
      failure.add(error);
    }

    @Actor
    void work() throws InterruptedException {
      runs.incrementAndGet();
      try {
        throw failure.take();
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw e;
      }
    }
  }

  /** Returns normally once the test says so. */
  static class Importer {
    final CountDownLatch finish = new CountDownLatch(1);
    private final AtomicInteger runs;

    Importer(AtomicInteger runs) {
      this.runs = runs;
    }

    @Actor
    void run() throws InterruptedException {
      runs.incrementAndGet();
      finish.await();
    }
  }

  /** A one-shot actor: its normal return ends only itself. */
  static class Migration {
    private final AtomicInteger runs;

    Migration(AtomicInteger runs) {
      this.runs = runs;
    }

    @Actor(oneShot = true)
    void migrate() {
      runs.incrementAndGet();
    }
  }

  /** A bean that knows nothing of actors. */
  static class Greeter {
    String greet(String name) {
      return "hello, " + name;
    }
  }

  /** A pauseable lifecycle bean: counts its starts, so a pause and restart shows. */
  static class PauseProbe implements SmartLifecycle {
    final AtomicInteger starts = new AtomicInteger();
    private volatile boolean running;

    @Override
    public void start() {
      starts.incrementAndGet();
      running = true;
    }

    @Override
    public void stop() {
      running = false;
    }

    @Override
    public boolean isRunning() {
      return running;
    }
  }
}
