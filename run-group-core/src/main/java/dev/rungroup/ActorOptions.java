package dev.rungroup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How the group runs one actor: what it starts {@linkplain #after(String...) after}, when it is
 * {@linkplain #readiness(Readiness) ready}, how long it may take to get there ({@linkplain
 * #startupTimeout(Duration) startup timeout}), whether its normal return ends only itself
 * ({@linkplain #oneShot() one-shot}), and whether it is {@linkplain #restart(RestartPolicy)
 * restarted}. Given to {@link Group#add(String, Interruptible, ActorOptions)} or {@link
 * Group#add(String, java.util.function.Supplier, ActorOptions)}.
 *
 * <pre>{@code
 * group.add("storage", storage, ActorOptions.defaults().readiness(Readiness.SIGNALLED));
 * group.add("config", loader, ActorOptions.defaults().oneShot());
 * group.add("web", web, ActorOptions.defaults().after("storage", "config"));
 * group.add("consumer", Consumer::new,
 *     ActorOptions.defaults().after("storage").restart(RestartPolicy.onFailure()));
 * }</pre>
 *
 * <p>Immutable and thread-safe: every wither returns a new value. The withers check only for {@code
 * null}; everything that depends on the group (names, combinations, ranges) is checked by {@code
 * add}, whose {@link IllegalArgumentException} names the actor. An actor added with {@link
 * #defaults()} runs exactly as one added without options, at the same cost.
 *
 * @since 0.2
 */
public final class ActorOptions {

  private static final ActorOptions DEFAULTS =
      new ActorOptions(List.of(), Readiness.ON_START, null, false, RestartPolicy.never());

  private final List<String> after;
  private final Readiness readiness;
  private final @Nullable Duration startupTimeout;
  private final boolean oneShot;
  private final RestartPolicy restart;

  private ActorOptions(
      List<String> after,
      Readiness readiness,
      @Nullable Duration startupTimeout,
      boolean oneShot,
      RestartPolicy restart) {
    this.after = after;
    this.readiness = readiness;
    this.startupTimeout = startupTimeout;
    this.oneShot = oneShot;
    this.restart = restart;
  }

  /**
   * No dependency, ready on start, no startup timeout, permanent, never restarted: wave 1's actor.
   *
   * @return the default options
   */
  public static ActorOptions defaults() {
    return DEFAULTS;
  }

  /**
   * The actor's {@code execute} begins only once every named actor is ready; during the group's
   * stop, those actors are interrupted only after this one returned. The names must be of actors
   * added <em>earlier</em> to the same group (checked at {@code add}), so the graph has no cycle.
   * Calling {@code after} again adds to the list.
   *
   * @param actors names of actors added before this one
   * @return new options
   * @throws NullPointerException if {@code actors} or one of them is {@code null}
   */
  public ActorOptions after(String... actors) {
    Objects.requireNonNull(actors, "actors");
    List<String> all = new ArrayList<>(after);
    for (String actor : actors) {
      all.add(Objects.requireNonNull(actor, "actors contains null"));
    }
    return new ActorOptions(
        Collections.unmodifiableList(all), readiness, startupTimeout, oneShot, restart);
  }

  /**
   * When the actor counts as ready. Default {@link Readiness#ON_START}.
   *
   * @param readiness the kind
   * @return new options
   * @throws NullPointerException if {@code readiness} is {@code null}
   */
  public ActorOptions readiness(Readiness readiness) {
    Objects.requireNonNull(readiness, "readiness");
    return new ActorOptions(after, readiness, startupTimeout, oneShot, restart);
  }

  /**
   * How long each incarnation may take, from its own {@code execute} beginning (not counting the
   * wait for its dependencies), to become ready; one that is not fails with {@link
   * StartupTimeoutException}. Default: no limit.
   *
   * @param timeout positive (checked at {@code add})
   * @return new options
   * @throws NullPointerException if {@code timeout} is {@code null}
   */
  public ActorOptions startupTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return new ActorOptions(after, readiness, timeout, oneShot, restart);
  }

  /**
   * A normal return ends this actor only, and makes it ready: the group goes on. A failure stops
   * the group as any (unless the restart policy restarts it). Not with {@link
   * RestartPolicy#always()}.
   *
   * @return new options
   */
  public ActorOptions oneShot() {
    return new ActorOptions(after, readiness, startupTimeout, true, restart);
  }

  /**
   * Restarts the actor under {@code policy} instead of stopping the group. A policy other than
   * {@link RestartPolicy#never()} needs {@link Group#add(String, java.util.function.Supplier,
   * ActorOptions)}: each incarnation is a fresh actor. Default {@link RestartPolicy#never()}.
   *
   * @param policy the policy
   * @return new options
   * @throws NullPointerException if {@code policy} is {@code null}
   */
  public ActorOptions restart(RestartPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    return new ActorOptions(after, readiness, startupTimeout, oneShot, policy);
  }

  /**
   * Returns the names this actor starts after, in the order given; unmodifiable.
   *
   * @return the names this actor starts after, in the order given; unmodifiable
   */
  public List<String> dependencies() {
    return after;
  }

  /**
   * Returns when the actor counts as ready.
   *
   * @return when the actor counts as ready
   */
  public Readiness readiness() {
    return readiness;
  }

  /**
   * Returns the startup timeout; empty for none.
   *
   * @return the startup timeout; empty for none
   */
  public Optional<Duration> startupTimeout() {
    return Optional.ofNullable(startupTimeout);
  }

  /**
   * Returns whether a normal return ends this actor only.
   *
   * @return whether a normal return ends this actor only
   */
  public boolean isOneShot() {
    return oneShot;
  }

  /**
   * Returns the restart policy.
   *
   * @return the restart policy
   */
  public RestartPolicy restart() {
    return restart;
  }

  /** Whether these options change nothing: the actor runs as one added without options. */
  boolean isPlain() {
    return after.isEmpty()
        && readiness == Readiness.ON_START
        && startupTimeout == null
        && !oneShot
        && !restart.restartsOnFailure();
  }

  /** Package-private: the startup timeout or {@code null}. */
  @Nullable Duration timeoutOrNull() {
    return startupTimeout;
  }

  /**
   * Checks what does not depend on the other actors; the message names the actor.
   *
   * @param supplierForm whether the actor was added with a supplier
   * @throws IllegalArgumentException if the options make no sense for this actor
   */
  void check(String actor, boolean supplierForm) {
    Duration timeout = startupTimeout;
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException(
          "actor '" + actor + "': startupTimeout must be positive, was " + timeout);
    }
    if (oneShot && restart.restartsOnNormalReturn()) {
      throw new IllegalArgumentException(
          "actor '"
              + actor
              + "': oneShot() with RestartPolicy.always() makes no sense (a one-shot actor's normal"
              + " return is its end); use RestartPolicy.onFailure()");
    }
    if (restart.restartsOnFailure() && !supplierForm) {
      throw new IllegalArgumentException(
          "actor '"
              + actor
              + "': a restart policy other than never() needs add(name, Supplier, options), so"
              + " that each incarnation is a fresh actor");
    }
    restart.check(actor);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ActorOptions a
        && a.after.equals(after)
        && a.readiness == readiness
        && Objects.equals(a.startupTimeout, startupTimeout)
        && a.oneShot == oneShot
        && a.restart.equals(restart);
  }

  @Override
  public int hashCode() {
    return Objects.hash(after, readiness, startupTimeout, oneShot, restart);
  }

  @Override
  public String toString() {
    return "ActorOptions[after="
        + after
        + ", readiness="
        + readiness
        + ", startupTimeout="
        + startupTimeout
        + ", oneShot="
        + oneShot
        + ", restart="
        + restart
        + "]";
  }
}
