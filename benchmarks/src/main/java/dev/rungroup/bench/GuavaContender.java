package dev.rungroup.bench;

import com.google.common.util.concurrent.AbstractExecutionThreadService;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.Service;
import com.google.common.util.concurrent.ServiceManager;
import dev.rungroup.Interruptible;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * What a Java user picks today: Guava's {@link ServiceManager} over one {@link
 * AbstractExecutionThreadService} per actor ({@code run} is the actor's execute, {@code
 * triggerShutdown} its interrupt), with a listener that stops the manager on the first failure.
 * Each service runs on a thread from the measured kind's factory.
 *
 * <p>{@code awaitStopped()} returns once every service is terminated, which each service's thread
 * reports shortly before it ends: the threads are joined after the measured time ({@link
 * Run#awaitThreadsEnded()}), so that their last steps do not fall into the next contender's run.
 */
final class GuavaContender implements Contender {
  static final String NAME = "Guava ServiceManager";

  /** Silences the SEVERE log of every failed service (scenario A); kept strongly reachable. */
  private static final Logger GUAVA_LOG = Logger.getLogger("com.google.common.util.concurrent");

  static {
    GUAVA_LOG.setLevel(Level.OFF);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Run prepare(Scenario scenario, int n, ThreadKind kind, @Nullable CountDownLatch started) {
    ThreadFactory factory = kind.factory();
    Queue<Thread> threads = new ConcurrentLinkedQueue<>();
    Executor executor =
        command -> {
          Thread thread = factory.newThread(command);
          threads.add(thread);
          thread.start();
        };
    List<Service> services = new ArrayList<>(n);
    for (Interruptible actor : Blocker.actors(scenario, n, started)) {
      services.add(new ActorService(actor, executor));
    }
    ServiceManager manager = new ServiceManager(services);
    manager.addListener(
        new ServiceManager.Listener() {
          @Override
          public void failure(Service service) {
            manager.stopAsync();
          }
        },
        MoreExecutors.directExecutor());
    return new Run() {
      @Override
      public void run() {
        manager.startAsync();
        manager.awaitStopped();
        boolean failed = manager.servicesByState().containsKey(Service.State.FAILED);
        if (failed != (scenario == Scenario.A)) {
          throw new AssertionError("unexpected end: " + manager.servicesByState().keySet());
        }
      }

      @Override
      public void stop() {
        manager.stopAsync();
      }

      @Override
      public void awaitThreadsEnded() throws InterruptedException {
        for (Thread thread : threads) {
          thread.join();
        }
      }
    };
  }

  private static final class ActorService extends AbstractExecutionThreadService {
    private final Interruptible actor;
    private final Executor executor;

    ActorService(Interruptible actor, Executor executor) {
      this.actor = actor;
      this.executor = executor;
    }

    @Override
    protected void run() throws Exception {
      actor.execute();
    }

    @Override
    protected void triggerShutdown() {
      actor.interrupt(null);
    }

    @Override
    protected Executor executor() {
      return executor;
    }

    @Override
    protected String serviceName() {
      return "actor"; // toString() is called on transitions; keep it cheap and constant
    }
  }
}
