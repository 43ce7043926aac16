package dev.rungroup.spring.autoconfigure;

import dev.rungroup.ActorOptions;
import dev.rungroup.RestartPolicy;
import dev.rungroup.spring.autoconfigure.RunGroupProperties.ActorProperties;
import dev.rungroup.spring.autoconfigure.RunGroupProperties.ActorRestart;
import dev.rungroup.spring.autoconfigure.RunGroupProperties.RestartDefaults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * The startup timeouts and restart budgets of the actors, from {@code run-group.startup-timeout},
 * {@code run-group.restart.*} and {@code run-group.actors[<name>].*}. Each value is checked once,
 * when the group is configured: one out of range, or a name under {@code run-group.actors} that is
 * no setting of an actor, fails with an {@link ActorDefinitionException} that names the property.
 * When the actors are found, {@link #apply} tunes each one's options (an actor's own value over the
 * default, the default over the core's) and {@link #checkKeys} fails for a key that names no actor.
 *
 * <p>Immutable and thread-safe.
 */
final class ActorTuning {

  private static final String PREFIX = "run-group";
  private static final String ACTORS = PREFIX + ".actors";

  /** The settings an actor has under {@code run-group.actors[<name>]}, in the order documented. */
  static final List<String> SETTINGS =
      List.of(
          "startup-timeout",
          "restart.max-restarts",
          "restart.within",
          "restart.backoff-initial",
          "restart.backoff-max",
          "restart.jitter");

  /** One value and the property it came from, for messages. */
  private record Value<T>(T value, String property) {}

  /** The restart values of one actor (or the defaults), each with where it came from. */
  private record Restart(
      Value<Integer> maxRestarts,
      Value<Duration> within,
      Value<Duration> backoffInitial,
      Value<Duration> backoffMax,
      Value<Double> jitter) {

    RestartPolicy tune(RestartPolicy policy) {
      return policy
          .maxRestarts(maxRestarts.value())
          .within(within.value())
          .backoff(backoffInitial.value(), backoffMax.value())
          .jitter(jitter.value());
    }
  }

  /**
   * One actor's own settings: its startup timeout (if set), its restart (its own values over the
   * defaults), and the restart properties it set.
   */
  private record Own(
      @Nullable Value<Duration> startupTimeout, Restart restart, List<String> restartSet) {}

  private final @Nullable Value<Duration> startupTimeout;
  private final Restart restart;
  private final Map<String, Own> actors;

  private ActorTuning(
      @Nullable Value<Duration> startupTimeout, Restart restart, Map<String, Own> actors) {
    this.startupTimeout = startupTimeout;
    this.restart = restart;
    this.actors = actors;
  }

  /** No property set: the core's defaults. */
  static ActorTuning defaults() {
    return new ActorTuning(null, restart(new RestartDefaults()), Map.of());
  }

  /**
   * The tuning the properties say, checked.
   *
   * @param properties the bound properties
   * @param environment where they were bound from: the names under {@code run-group.actors} are
   *     checked in it, since the binder leaves one that is no setting of an actor unbound without a
   *     word (a misspelt setting, or an actor name with a dot written without brackets)
   * @throws ActorDefinitionException naming the property, if a value is out of range or a name
   *     under {@code run-group.actors} is no setting of an actor
   */
  static ActorTuning of(RunGroupProperties properties, Environment environment) {
    checkNames(environment);
    Value<Duration> startupTimeout = null;
    Duration timeout = properties.getStartupTimeout();
    if (timeout != null) {
      startupTimeout = new Value<>(timeout, PREFIX + ".startup-timeout");
      checkStartupTimeout(startupTimeout);
    }
    Restart restart = restart(properties.getRestart());
    checkRestart(restart);
    Map<String, Own> actors = new LinkedHashMap<>();
    for (Map.Entry<String, ActorProperties> entry : properties.getActors().entrySet()) {
      String key = entry.getKey();
      actors.put(key, own(key, entry.getValue(), restart));
    }
    return new ActorTuning(startupTimeout, restart, Map.copyOf(actors));
  }

  /**
   * The options of an actor, tuned: its startup timeout, and for a supervised actor its restart
   * budget and backoff.
   *
   * @param actor the actor's name
   * @param source what declared it, for messages
   * @param options what its {@code @Actor} says
   * @throws ActorDefinitionException if the actor's own restart properties are set while its
   *     {@code @Actor} does not restart it
   */
  ActorOptions apply(String actor, String source, ActorOptions options) {
    Own own = actors.get(actor);
    Value<Duration> ownTimeout = own == null ? null : own.startupTimeout();
    Value<Duration> timeout = ownTimeout != null ? ownTimeout : startupTimeout;
    ActorOptions tuned = timeout == null ? options : options.startupTimeout(timeout.value());
    RestartPolicy policy = tuned.restart();
    List<String> restartProperties = own == null ? List.of() : own.restartSet();
    if (!policy.restartsOnFailure()) {
      if (!restartProperties.isEmpty()) {
        throw new ActorDefinitionException(
            String.join(", ", restartProperties)
                + (restartProperties.size() == 1 ? " is" : " are")
                + " set, but actor '"
                + actor
                + "' ("
                + source
                + ") is not restarted: its @Actor has restart = NEVER (the default). The"
                + " annotation says whether an actor is restarted, the properties only tune how."
                + " Fix: give the actor @Actor(restart = Restart.ON_FAILURE) (or ALWAYS), or remove"
                + " these properties.");
      }
      return tuned;
    }
    return tuned.restart((own == null ? restart : own.restart()).tune(policy));
  }

  /**
   * Fails if a key under {@code run-group.actors} names none of {@code actorNames}.
   *
   * @throws ActorDefinitionException naming the key and listing the actors
   */
  void checkKeys(Collection<String> actorNames) {
    for (String key : actors.keySet()) {
      if (actorNames.contains(key)) {
        continue;
      }
      String alike =
          actorNames.stream().filter(name -> name.equalsIgnoreCase(key)).findFirst().orElse(null);
      throw new ActorDefinitionException(
          ACTORS
              + "["
              + key
              + "] names no actor of this context (its actors: "
              + (actorNames.isEmpty()
                  ? "none"
                  : actorNames.stream().sorted().map(name -> "'" + name + "'").toList())
              + (alike == null ? "" : "; names are case-sensitive: did you mean '" + alike + "'?")
              + "). Fix: key the properties by the name of an actor of this context, in brackets"
              + " (a method actor without a name is beanName.methodName, as in "
              + ACTORS
              + "[consumer.poll].restart.max-restarts), or remove them.");
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static Restart restart(RestartDefaults defaults) {
    String at = PREFIX + ".restart.";
    return new Restart(
        new Value<>(defaults.getMaxRestarts(), at + "max-restarts"),
        new Value<>(defaults.getWithin(), at + "within"),
        new Value<>(defaults.getBackoffInitial(), at + "backoff-initial"),
        new Value<>(defaults.getBackoffMax(), at + "backoff-max"),
        new Value<>(defaults.getJitter(), at + "jitter"));
  }

  private static Own own(String key, ActorProperties properties, Restart defaults) {
    String at = ACTORS + "[" + key + "].";
    Value<Duration> startupTimeout = null;
    Duration timeout = properties.getStartupTimeout();
    if (timeout != null) {
      startupTimeout = new Value<>(timeout, at + "startup-timeout");
      checkStartupTimeout(startupTimeout);
    }
    List<String> set = new ArrayList<>();
    ActorRestart own = properties.getRestart();
    Restart restart =
        new Restart(
            or(own.getMaxRestarts(), at + "restart.max-restarts", defaults.maxRestarts(), set),
            or(own.getWithin(), at + "restart.within", defaults.within(), set),
            or(
                own.getBackoffInitial(),
                at + "restart.backoff-initial",
                defaults.backoffInitial(),
                set),
            or(own.getBackoffMax(), at + "restart.backoff-max", defaults.backoffMax(), set),
            or(own.getJitter(), at + "restart.jitter", defaults.jitter(), set));
    checkRestart(restart);
    return new Own(startupTimeout, restart, List.copyOf(set));
  }

  private static <T> Value<T> or(
      @Nullable T own, String property, Value<T> fallback, List<String> set) {
    if (own == null) {
      return fallback;
    }
    set.add(property);
    return new Value<>(own, property);
  }

  private static void checkStartupTimeout(Value<Duration> timeout) {
    if (timeout.value().isZero() || timeout.value().isNegative()) {
      throw outOfRange(
          timeout, "must be positive", "set a positive duration, or none for no limit");
    }
  }

  private static void checkRestart(Restart restart) {
    if (restart.maxRestarts().value() < 0) {
      throw outOfRange(
          restart.maxRestarts(), "must not be negative", "set 0 or more (0 restarts nothing)");
    }
    if (restart.within().value().isZero() || restart.within().value().isNegative()) {
      throw outOfRange(restart.within(), "must be positive", "set a positive duration, as 1m");
    }
    if (restart.backoffInitial().value().isNegative()) {
      throw outOfRange(
          restart.backoffInitial(),
          "must not be negative",
          "set zero (restart at once) or a positive duration");
    }
    if (restart.backoffMax().value().compareTo(restart.backoffInitial().value()) < 0) {
      throw new ActorDefinitionException(
          restart.backoffMax().property()
              + " ("
              + text(restart.backoffMax().value())
              + ") is less than "
              + restart.backoffInitial().property()
              + " ("
              + text(restart.backoffInitial().value())
              + "): the delay starts at the initial backoff and doubles up to the maximum. Fix:"
              + " make "
              + restart.backoffMax().property()
              + " at least "
              + restart.backoffInitial().property()
              + ".");
    }
    double jitter = restart.jitter().value();
    if (!(jitter >= 0 && jitter <= 1)) {
      throw outOfRange(
          restart.jitter(),
          "must be from 0 to 1",
          "set a fraction from 0 (no jitter) to 1 (delays from zero to twice the backoff)");
    }
  }

  private static ActorDefinitionException outOfRange(Value<?> value, String rule, String fix) {
    Object shown = value.value() instanceof Duration duration ? text(duration) : value.value();
    return new ActorDefinitionException(
        value.property() + " " + rule + ", was " + shown + ". Fix: " + fix + ".");
  }

  /** A duration as a property would say it: {@code 500ms}, {@code -1s}, {@code 2m}. */
  static String text(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    long nanos;
    try {
      nanos = duration.toNanos();
    } catch (ArithmeticException e) {
      return duration.toSeconds() + "s";
    }
    if (nanos % 1_000_000 != 0) {
      return nanos + "ns";
    }
    long millis = nanos / 1_000_000;
    if (millis % 1000 != 0) {
      return millis + "ms";
    }
    long seconds = millis / 1000;
    if (seconds % 60 != 0) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes % 60 != 0) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    return hours % 24 != 0 ? hours + "h" : hours / 24 + "d";
  }

  /**
   * Fails for a property under {@code run-group.actors[<name>]} that is no setting of an actor: the
   * binder leaves it unbound without a word.
   */
  private static void checkNames(Environment environment) {
    ConfigurationPropertyName root = ConfigurationPropertyName.of(ACTORS);
    List<ConfigurationPropertyName> settings = new ArrayList<>(SETTINGS.size());
    for (String setting : SETTINGS) {
      settings.add(ConfigurationPropertyName.of(setting));
    }
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      if (!(source instanceof IterableConfigurationPropertySource iterable)) {
        continue;
      }
      for (ConfigurationPropertyName name : iterable) {
        if (!root.isAncestorOf(name)
            || name.getNumberOfElements() <= root.getNumberOfElements() + 1) {
          continue; // run-group.actors itself, or not under it
        }
        int settingAt = root.getNumberOfElements() + 1;
        ConfigurationPropertyName setting = name.subName(settingAt);
        if (settings.contains(setting)) {
          continue;
        }
        throw new ActorDefinitionException(
            name
                + " is no setting of an actor: under "
                + ACTORS
                + "[<name>] an actor has "
                + String.join(", ", SETTINGS)
                + "."
                + " Fix: "
                + fix(name, root, settings));
      }
    }
  }

  /** How to correct {@code name}: brackets around a dotted actor name, or a known setting. */
  private static String fix(
      ConfigurationPropertyName name,
      ConfigurationPropertyName root,
      List<ConfigurationPropertyName> settings) {
    int keyAt = root.getNumberOfElements();
    for (ConfigurationPropertyName setting : settings) {
      int keyElements = name.getNumberOfElements() - keyAt - setting.getNumberOfElements();
      if (keyElements > 1 && name.subName(keyAt + keyElements).equals(setting)) {
        List<String> key = new ArrayList<>();
        for (int i = keyAt; i < keyAt + keyElements; i++) {
          key.add(name.getElement(i, ConfigurationPropertyName.Form.ORIGINAL));
        }
        return "an actor name with a dot (a method actor is beanName.methodName) must be in"
            + " brackets: "
            + ACTORS
            + "["
            + String.join(".", key)
            + "]."
            + SETTINGS.get(settings.indexOf(setting))
            + ".";
      }
    }
    return "use one of these settings (an actor name with a dot must be in brackets, as in "
        + ACTORS
        + "[consumer.poll].restart.max-restarts), or remove the property.";
  }
}
