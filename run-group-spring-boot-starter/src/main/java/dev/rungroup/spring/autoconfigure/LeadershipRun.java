package dev.rungroup.spring.autoconfigure;

import dev.rungroup.ActorOptions;
import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.GroupListener;
import dev.rungroup.Interruptible;
import dev.rungroup.spring.RunGroupCustomizer;
import dev.rungroup.spring.autoconfigure.ActorScanner.ActorDefinition;
import dev.rungroup.spring.state.RunGroupActorStates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * Puts one leadership into a run of the application's group: the {@link Leadership} actor, after
 * the actors of every replica that its leader actors start after, and how each incarnation of its
 * leader actors is built. Loaded only when the context has leader actors (it names Spring
 * Integration's types).
 */
final class LeadershipRun {

  private LeadershipRun() {}

  /**
   * Adds leadership {@code leader} to {@code group}.
   *
   * @param group the application's group of this run
   * @param leader the leadership's name
   * @param definitions all actors of the context, in their order
   * @param registryBean the context's {@code LockRegistry}
   * @param settings the group's settings
   * @param listeners the listeners of the run that also hear the leader actors' actor events
   * @param customizers the run's customizers: the live states among them hear leadership changes
   * @param run the run, which makes the actors
   */
  static void add(
      Group group,
      String leader,
      List<ActorDefinition> definitions,
      Object registryBean,
      RunGroupSettings settings,
      List<GroupListener> listeners,
      List<RunGroupCustomizer> customizers,
      GroupRun run) {
    LockRegistry<?> registry = (LockRegistry<?>) registryBean;
    List<ActorDefinition> mine = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (ActorDefinition actor : definitions) {
      if (leader.equals(actor.leader())) {
        mine.add(actor);
        names.add(actor.name());
      }
    }
    Set<String> outside = new LinkedHashSet<>();
    for (ActorDefinition actor : mine) {
      for (String dependency : actor.options().dependencies()) {
        if (!names.contains(dependency)) {
          outside.add(dependency);
        }
      }
    }
    RunGroupActorStates states = null;
    for (RunGroupCustomizer customizer : customizers) {
      if (customizer instanceof RunGroupActorStates found) {
        states = found;
        break;
      }
    }
    List<GroupListener> heard = new ArrayList<>();
    if (states != null) {
      heard.add(states.leaderActorEvents());
    }
    heard.addAll(listeners);
    Supplier<Group> incarnation = () -> incarnation(mine, names, settings, heard, run);
    group.add(
        Leadership.actorName(leader),
        run.tracked(
            new Leadership(leader, registry, settings.leadership(), incarnation, observer(states))),
        ActorOptions.defaults().after(outside.toArray(String[]::new)));
  }

  private static Leadership.Observer observer(@Nullable RunGroupActorStates states) {
    if (states == null) {
      return Leadership.Observer.NONE;
    }
    return new Leadership.Observer() {
      @Override
      public void gained(String leader) {
        states.leadershipGained(leader);
      }

      @Override
      public void lost(String leader, boolean standby) {
        states.leadershipLost(leader, standby);
      }
    };
  }

  /** A fresh group of the leader actors, with their own edges, readiness and restart policies. */
  private static Group incarnation(
      List<ActorDefinition> mine,
      Set<String> names,
      RunGroupSettings settings,
      List<GroupListener> heard,
      GroupRun run) {
    Group.Builder builder =
        Group.builder().stopTimeout(settings.stopTimeout()).stopGrace(settings.stopGrace());
    ThreadFactory threadFactory = settings.threadFactory();
    if (threadFactory != null) {
      builder.threadFactory(threadFactory);
    }
    for (GroupListener listener : heard) {
      builder.listener(new ActorEventsOnly(listener));
    }
    Group group = builder.build();
    BooleanSupplier stopping = () -> group.state() != Group.State.RUNNING;
    for (ActorDefinition actor : mine) {
      ActorOptions options = withinLeadership(actor.options(), names);
      if (options.restart().restartsOnFailure()) {
        group.add(
            actor.name(),
            () -> run.tracked(actor.factory().create(stopping, run::isClosingContext)),
            options);
      } else {
        Interruptible created = actor.factory().create(stopping, run::isClosingContext);
        group.add(actor.name(), run.tracked(created), options);
      }
    }
    return group;
  }

  /** {@code options} with only the {@code after} edges to actors of the same leadership. */
  private static ActorOptions withinLeadership(ActorOptions options, Set<String> names) {
    ActorOptions within = ActorOptions.defaults().readiness(options.readiness());
    Duration timeout = options.startupTimeout().orElse(null);
    if (timeout != null) {
      within = within.startupTimeout(timeout);
    }
    if (options.isOneShot()) {
      within = within.oneShot();
    }
    within = within.restart(options.restart());
    String[] after = options.dependencies().stream().filter(names::contains).toArray(String[]::new);
    return after.length == 0 ? within : within.after(after);
  }

  /** Passes on the actor events of a leader actors' group; its group events are its own. */
  private static final class ActorEventsOnly implements GroupListener {
    private final GroupListener delegate;

    ActorEventsOnly(GroupListener delegate) {
      this.delegate = delegate;
    }

    @Override
    public void actorStarted(String actor, Thread thread) {
      delegate.actorStarted(actor, thread);
    }

    @Override
    public void actorReady(String actor) {
      delegate.actorReady(actor);
    }

    @Override
    public void actorRestarting(
        String actor, @Nullable Throwable error, int restart, Duration delay) {
      delegate.actorRestarting(actor, error, restart, delay);
    }

    @Override
    public void actorReturned(String actor, @Nullable Throwable error) {
      delegate.actorReturned(actor, error);
    }

    @Override
    public void groupStopped(Exit exit) {
      // the run of one incarnation of the leadership: not the application's group stopping
    }
  }
}
