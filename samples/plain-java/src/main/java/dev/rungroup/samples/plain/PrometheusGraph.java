package dev.rungroup.samples.plain;

import dev.rungroup.ActorContext;
import dev.rungroup.ActorOptions;
import dev.rungroup.Actors;
import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.GroupListener;
import dev.rungroup.Interruptible;
import dev.rungroup.Readiness;
import dev.rungroup.RestartPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Prometheus's start-up as a graph: scrape manager and web server start after the storage is open
 * and the config loaded, the rule manager after the storage; all of them stop before the storage.
 *
 * <p>Each component stands in for the real one: it prints what it opens, then waits until it is
 * interrupted, and its interrupt prints, so the output shows the stop order. The storage is {@link
 * Readiness#SIGNALLED SIGNALLED}: ready once it says it is open. The config loader is one-shot:
 * ready when it returned, and the group goes on. A supervised consumer, also after the storage,
 * subscribes to a broker that "blips": its first two subscriptions fail, and {@link
 * RestartPolicy#onFailure()} restarts it after a short backoff instead of stopping the service. The
 * group stops when its timer runs out, or at SIGTERM or Ctrl-C; a {@link GroupListener} prints the
 * group's events and the {@link Exit}. The program exits with 0 when the timer stopped it.
 */
public final class PrometheusGraph {

  /** How long the program runs unless given a number of seconds. */
  static final Duration RUN_FOR = Duration.ofSeconds(3);

  /** How many subscriptions of the consumer fail before the broker is back. */
  static final int BLIPS = 2;

  /** What the config loader reads: the service's configuration, inline to keep the sample short. */
  private static final String CONFIG = "scrape_interval=15s\nscrape_target=localhost:9100\n";

  private PrometheusGraph() {}

  /**
   * Runs the graph and exits with 0 if the group stopped without error, else 1 (at SIGTERM the JVM
   * is already exiting, with 143).
   *
   * @param args optionally, how many seconds to run (3 by default)
   */
  public static void main(String[] args) {
    Duration runFor = args.length > 0 ? Duration.ofSeconds(Long.parseLong(args[0])) : RUN_FOR;
    Exit exit = run(System.out, runFor);
    System.exit(exit.error() == null ? 0 : 1);
  }

  /**
   * Runs the graph until {@code runFor} has passed or the JVM begins to shut down, printing to
   * {@code out}.
   *
   * @param out where the listener and the components print
   * @param runFor when the timer stops the group
   * @return how the group ended
   */
  public static Exit run(PrintStream out, Duration runFor) {
    Group group =
        Group.builder().listener(printing(out)).stopTimeout(Duration.ofSeconds(10)).build();
    group.add("timer", Actors.timer(runFor));
    group.add("signal", Actors.jvmShutdown(group));

    group.add(
        "storage",
        component("storage", out, () -> opened("storage: opened", out)),
        ActorOptions.defaults().readiness(Readiness.SIGNALLED));

    CompletableFuture<Properties> config = new CompletableFuture<>();
    group.add(
        "config",
        Interruptible.of(
            () -> {
              Properties loaded = new Properties();
              loaded.load(new StringReader(CONFIG));
              config.complete(loaded);
              out.println("config: loaded " + loaded.size() + " settings");
            },
            cause -> out.println("interrupt config")),
        ActorOptions.defaults().oneShot());

    // config.join() never waits: the scrape manager starts only once the config loader returned.
    group.add(
        "scrape",
        component("scrape", out, () -> scrapeTargets(config.join(), out)),
        ActorOptions.defaults().after("storage", "config"));
    group.add(
        "web",
        component("web", out, () -> out.println("web: serving")),
        ActorOptions.defaults().after("storage", "config"));
    group.add("rules", component("rules", out, () -> {}), ActorOptions.defaults().after("storage"));

    AtomicInteger subscriptions = new AtomicInteger();
    group.add(
        "consumer",
        () -> component("consumer", out, () -> subscribe(subscriptions, out)),
        ActorOptions.defaults()
            .after("storage")
            .readiness(Readiness.SIGNALLED)
            .restart(
                RestartPolicy.onFailure()
                    .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                    .jitter(0)));
    return group.run();
  }

  /** The scrape manager's start, from the configuration its {@code after} waited for. */
  private static void scrapeTargets(Properties config, PrintStream out) {
    out.println(
        "scrape: "
            + config.getProperty("scrape_target")
            + " every "
            + config.getProperty("scrape_interval"));
  }

  /** The consumer's subscription: the broker refuses the first {@link #BLIPS}. */
  private static void subscribe(AtomicInteger subscriptions, PrintStream out) throws IOException {
    int attempt = subscriptions.incrementAndGet();
    if (attempt <= BLIPS) {
      throw new ConnectException("broker unavailable (attempt " + attempt + ")");
    }
    opened("consumer: subscribed", out);
  }

  /** Prints {@code line}, then tells the group that the calling actor is ready. */
  private static void opened(String line, PrintStream out) {
    out.println(line);
    ActorContext.current().ready();
  }

  /** A component that runs {@code open}, then waits until interrupted; its interrupt prints. */
  private static Interruptible component(String name, PrintStream out, Interruptible.Execute open) {
    CountDownLatch stop = new CountDownLatch(1);
    return Interruptible.of(
        () -> {
          open.execute();
          stop.await();
        },
        cause -> {
          out.println("interrupt " + name);
          stop.countDown();
        });
  }

  /** A listener that prints every event, one line each. */
  private static GroupListener printing(PrintStream out) {
    return new GroupListener() {
      @Override
      public void actorStarted(String actor, Thread thread) {
        out.println("actorStarted " + actor);
      }

      @Override
      public void actorReady(String actor) {
        out.println("actorReady " + actor);
      }

      @Override
      public void groupReady() {
        out.println("groupReady");
      }

      @Override
      public void actorRestarting(
          String actor, @Nullable Throwable error, int restart, Duration delay) {
        out.println(
            "actorRestarting " + actor + " #" + restart + " in " + delay.toMillis() + " ms");
      }

      @Override
      public void actorReturned(String actor, @Nullable Throwable error) {
        out.println("actorReturned " + actor + (error == null ? "" : " " + error));
      }

      @Override
      public void groupStopping(@Nullable String firstActor, @Nullable Throwable cause) {
        out.println("groupStopping " + firstActor + (cause == null ? "" : " " + cause));
      }

      @Override
      public void groupStopped(Exit exit) {
        out.println(exit);
        for (Exit.Outcome actor : exit.actors()) {
          out.println(
              "  "
                  + actor.name()
                  + ": restarts="
                  + actor.restarts()
                  + (actor.error() == null ? "" : ", error=" + actor.error()));
        }
      }
    };
  }
}
