package dev.rungroup.spring.it;

import dev.rungroup.GroupListener;
import dev.rungroup.Interruptible;
import dev.rungroup.spring.Actor;
import dev.rungroup.spring.ActorGroup;
import jakarta.annotation.PreDestroy;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;

/**
 * The application of {@link FaultIT}, run as a real process: {@code main(scenario, springArgs...)}.
 * Every actor prints {@code STARTED <name>} when its {@code execute} begins and {@code INTERRUPTED
 * <name>} from its {@code interrupt}, so that the test can check that each started actor was
 * interrupted. A child may block or wait as part of its scenario; every such wait is bounded.
 */
public final class FaultTestApplication {

  /** Bound on every wait of the child: far beyond any test's own bound. */
  static final long PATIENCE_SECONDS = 60;

  private FaultTestApplication() {}

  /** The application's own configuration: auto-configuration only. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}

  public static void main(String[] args) {
    Class<?> scenario =
        switch (args[0]) {
          case "refresh" -> BlockedRefresh.class;
          case "starting" -> SlowStart.class;
          case "stopping" -> SlowStop.class;
          case "predestroy" -> FailingDuringPreDestroy.class;
          case "lifecycle" -> FailingLaterLifecycle.class;
          case "runner" -> FailingBeanCreation.class;
          case "actors" -> TwoActors.class;
          case "sigint" -> SlowStopUntilSignal.class;
          case "exit5" -> ExitingActor.class;
          case "latestop" -> LateStop.class;
          default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
        };
    SpringApplication.run(
        new Class<?>[] {App.class, scenario}, Arrays.copyOfRange(args, 1, args.length));
  }

  static void print(String line) {
    System.out.println(line);
    System.out.flush();
  }

  /** Counted down by every {@link Marked} actor once its execute began. */
  static final CountDownLatch ACTORS_STARTED = new CountDownLatch(2);

  static void await(CountDownLatch latch, String what) {
    try {
      if (!latch.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("gave up waiting for " + what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + what, e);
    }
  }

  /** An actor that prints its markers; runs until interrupted. */
  static class Marked implements Interruptible {
    final String name;
    final CountDownLatch interrupted = new CountDownLatch(1);

    Marked(String name) {
      this.name = name;
    }

    @Override
    public void execute() throws Exception {
      print("STARTED " + name);
      ACTORS_STARTED.countDown();
      work();
    }

    /** The actor's work once started: by default, wait for the interrupt. */
    void work() throws Exception {
      interrupted.await();
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      print("INTERRUPTED " + name);
      interrupted.countDown();
    }
  }

  /** An actor whose interrupt takes two seconds before it lets the actor return. */
  static final class SlowInterrupt extends Marked {
    SlowInterrupt(String name) {
      super(name);
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      print("INTERRUPTING " + name);
      try {
        // The slow part of a real interrupt (flushing, deregistering): not a synchronisation.
        new CountDownLatch(1).await(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      super.interrupt(cause);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 1. SIGTERM during the refresh

  @Configuration(proxyBeanMethods = false)
  static class BlockedRefresh {
    @Bean
    @Actor
    Marked worker() {
      return new Marked("worker");
    }

    @Bean
    SlowToCreate slowToCreate(@Value("${fault.refresh-wait-ms:0}") long waitMillis) {
      return new SlowToCreate(waitMillis);
    }
  }

  /**
   * Blocks its creation: with {@code waitMillis} 0 until interrupted (Spring's shutdown hook
   * interrupts a starting thread that waits without a timeout), else for that long.
   */
  static final class SlowToCreate {
    SlowToCreate(long waitMillis) {
      print("REFRESHING");
      try {
        if (waitMillis == 0) {
          new CountDownLatch(1).await();
        } else {
          new CountDownLatch(1).await(waitMillis, TimeUnit.MILLISECONDS);
        }
        print("REFRESH WAITED");
      } catch (InterruptedException e) {
        print("REFRESH INTERRUPTED");
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while being created", e);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 2. SIGTERM while an actor is starting

  @Configuration(proxyBeanMethods = false)
  static class SlowStart {
    @Bean
    @Actor
    Marked steady() {
      return new Marked("steady");
    }

    @Bean
    @Actor
    Marked slow() {
      return new Marked("slow") {
        @Override
        void work() throws Exception {
          print("STARTING slow");
          // A slow start (connecting, warming up) that gives up when interrupted.
          if (interrupted.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
            print("START ABANDONED slow");
            return;
          }
          print("RUNNING slow");
          interrupted.await();
        }
      };
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 3. SIGTERM while the group stops (an actor returned, a slow interrupt runs)

  @Configuration(proxyBeanMethods = false)
  static class SlowStop {
    @Bean
    @Actor
    SlowInterrupt slowstop() {
      return new SlowInterrupt("slowstop");
    }

    @Bean
    @Actor
    Marked other() {
      return new Marked("other");
    }

    @Bean
    @Actor
    Marked quick() {
      return new Marked("quick") {
        @Override
        public void execute() {
          print("STARTED quick");
          await(ACTORS_STARTED, "the two other actors");
          print("RETURNING quick");
        }
      };
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 4. An actor failing while another bean's @PreDestroy runs

  @Configuration(proxyBeanMethods = false)
  static class FailingDuringPreDestroy {
    @Bean
    Pool pool(ActorGroup group) {
      return new Pool(group);
    }

    @Bean
    @Actor
    Marked steady() {
      return new Marked("steady");
    }

    @Bean
    @Actor
    Marked user(Pool pool) {
      return new Marked("user") {
        @Override
        void work() {
          // Keeps using the pool after its interrupt, until the pool is closed under it.
          await(pool.closed, "the pool to close");
          print("FAILING user");
          pool.userFailed.countDown();
          throw new IllegalStateException("the pool was closed under the user");
        }
      };
    }
  }

  /**
   * A resource whose {@code @PreDestroy} closes it and waits until its user has failed. It depends
   * on the {@link ActorGroup}, so it is destroyed before the group's own bean.
   */
  static final class Pool {
    final ActorGroup group;
    final CountDownLatch closed = new CountDownLatch(1);
    final CountDownLatch userFailed = new CountDownLatch(1);

    Pool(ActorGroup group) {
      this.group = group;
    }

    @PreDestroy
    void close() {
      print("PREDESTROY pool, group " + group.state());
      closed.countDown();
      await(userFailed, "the user to fail");
      print("PREDESTROY pool done");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 5a. A SmartLifecycle of a later phase failing to start after the actors started

  @Configuration(proxyBeanMethods = false)
  static class FailingLaterLifecycle {
    @Bean
    @Actor
    Marked first() {
      return new Marked("first");
    }

    @Bean
    @Actor
    Marked second() {
      return new Marked("second");
    }

    @Bean
    SmartLifecycle later() {
      return new SmartLifecycle() {
        @Override
        public void start() {
          await(ACTORS_STARTED, "the actors");
          print("FAILING later lifecycle");
          throw new IllegalStateException("the later lifecycle failed to start");
        }

        @Override
        public void stop() {}

        @Override
        public boolean isRunning() {
          return false;
        }

        @Override
        public int getPhase() {
          return 100; // the group runs in phase 0 in this scenario
        }
      };
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 5b. A bean creation failure after the actors were collected and started

  @Configuration(proxyBeanMethods = false)
  static class FailingBeanCreation {
    @Bean
    @Actor
    Marked first() {
      return new Marked("first");
    }

    @Bean
    @Actor
    Marked second() {
      return new Marked("second");
    }

    @Bean
    @Lazy
    Broken broken() {
      return new Broken();
    }

    @Bean
    ApplicationRunner useBroken(ApplicationContext context) {
      return args -> {
        await(ACTORS_STARTED, "the actors");
        print("CREATING broken");
        context.getBean(Broken.class);
      };
    }
  }

  static final class Broken {
    Broken() {
      throw new IllegalStateException("the broken bean cannot be created");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 6. Two plain actors (the port test adds a web server)

  @Configuration(proxyBeanMethods = false)
  static class TwoActors {
    @Bean
    @Actor
    Marked first() {
      return new Marked("first");
    }

    @Bean
    @Actor
    Marked second() {
      return new Marked("second");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 7. SIGINT twice: a slow interrupt keeps the shutdown going for the second signal

  @Configuration(proxyBeanMethods = false)
  static class SlowStopUntilSignal {
    @Bean
    @Actor
    SlowInterrupt slowstop() {
      return new SlowInterrupt("slowstop");
    }

    @Bean
    @Actor
    Marked other() {
      return new Marked("other");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 9. A stop through ActorGroup after an actor returned, while a slow interrupt runs

  @Configuration(proxyBeanMethods = false)
  static class LateStop extends SlowStop {
    @Bean
    GroupListener lateStopper(ObjectProvider<ActorGroup> group) {
      return new GroupListener() {
        @Override
        public void groupStopping(@Nullable String firstActor, @Nullable Throwable cause) {
          if (firstActor != null) {
            print("STOPPING LATE");
            group.getObject().stop(new IllegalStateException("a late stop"));
          }
        }
      };
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 8. An actor calling System.exit(5) once the application is ready

  @Configuration(proxyBeanMethods = false)
  static class ExitingActor {
    static final CountDownLatch READY = new CountDownLatch(1);

    @EventListener(ApplicationReadyEvent.class)
    void ready() {
      READY.countDown();
    }

    @Bean
    @Actor
    Marked other() {
      return new Marked("other");
    }

    @Bean
    @Actor
    Marked exiter() {
      return new Marked("exiter") {
        @Override
        void work() {
          await(READY, "the application to be ready");
          await(ACTORS_STARTED, "the other actor");
          print("EXITING exiter");
          System.exit(5);
        }
      };
    }
  }
}
