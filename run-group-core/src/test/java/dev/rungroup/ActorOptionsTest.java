package dev.rungroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ActorOptions} on its own, and the checks {@code Group.add} makes of it. */
class ActorOptionsTest {

  @Test
  void theDefaultsArePlain() {
    ActorOptions d = ActorOptions.defaults();
    assertThat(d).isSameAs(ActorOptions.defaults());
    assertThat(d.dependencies()).isEmpty();
    assertThat(d.readiness()).isEqualTo(Readiness.ON_START);
    assertThat(d.startupTimeout()).isEmpty();
    assertThat(d.isOneShot()).isFalse();
    assertThat(d.restart()).isSameAs(RestartPolicy.never());
    assertThat(d.isPlain()).isTrue();
  }

  @Test
  void eachOptionMakesTheActorManaged() {
    ActorOptions d = ActorOptions.defaults();
    assertThat(d.after("a").isPlain()).isFalse();
    assertThat(d.readiness(Readiness.SIGNALLED).isPlain()).isFalse();
    assertThat(d.readiness(Readiness.ON_START).isPlain()).isTrue();
    assertThat(d.startupTimeout(Duration.ofSeconds(1)).isPlain()).isFalse();
    assertThat(d.oneShot().isPlain()).isFalse();
    assertThat(d.restart(RestartPolicy.onFailure()).isPlain()).isFalse();
    assertThat(d.restart(RestartPolicy.never().maxRestarts(2)).isPlain())
        .as("a policy that restarts nothing")
        .isTrue();
  }

  @Test
  void withersReturnNewOptionsAndAfterAddsToTheList() {
    ActorOptions o =
        ActorOptions.defaults()
            .after("a", "b")
            .after("c")
            .readiness(Readiness.SIGNALLED)
            .startupTimeout(Duration.ofSeconds(3))
            .oneShot()
            .restart(RestartPolicy.onFailure());
    assertThat(o.dependencies()).containsExactly("a", "b", "c");
    assertThat(o.readiness()).isEqualTo(Readiness.SIGNALLED);
    assertThat(o.startupTimeout()).hasValue(Duration.ofSeconds(3));
    assertThat(o.timeoutOrNull()).isEqualTo(Duration.ofSeconds(3));
    assertThat(o.isOneShot()).isTrue();
    assertThat(o.restart()).isEqualTo(RestartPolicy.onFailure());
    assertThat(ActorOptions.defaults().dependencies()).as("unchanged").isEmpty();
    assertThatThrownBy(() -> o.dependencies().add("d"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ActorOptions.defaults().after("a", null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ActorOptions.defaults().readiness(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ActorOptions.defaults().startupTimeout(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ActorOptions.defaults().restart(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void equalOptionsAreEqualAndEachValueMatters() {
    ActorOptions o =
        ActorOptions.defaults()
            .after("a")
            .readiness(Readiness.SIGNALLED)
            .startupTimeout(Duration.ofSeconds(3))
            .oneShot()
            .restart(RestartPolicy.onFailure());
    ActorOptions same =
        ActorOptions.defaults()
            .after("a")
            .readiness(Readiness.SIGNALLED)
            .startupTimeout(Duration.ofSeconds(3))
            .oneShot()
            .restart(RestartPolicy.onFailure());
    assertThat(o).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo("options");
    assertThat(o.hashCode()).isNotEqualTo(ActorOptions.defaults().hashCode());
    ActorOptions plain = ActorOptions.defaults();
    for (ActorOptions other :
        List.of(
            plain
                .readiness(Readiness.SIGNALLED)
                .startupTimeout(Duration.ofSeconds(3))
                .oneShot()
                .restart(RestartPolicy.onFailure()),
            plain
                .after("a")
                .startupTimeout(Duration.ofSeconds(3))
                .oneShot()
                .restart(RestartPolicy.onFailure()),
            plain
                .after("a")
                .readiness(Readiness.SIGNALLED)
                .oneShot()
                .restart(RestartPolicy.onFailure()),
            plain
                .after("a")
                .readiness(Readiness.SIGNALLED)
                .startupTimeout(Duration.ofSeconds(3))
                .restart(RestartPolicy.onFailure()),
            plain
                .after("a")
                .readiness(Readiness.SIGNALLED)
                .startupTimeout(Duration.ofSeconds(3))
                .oneShot())) {
      assertThat(o).isNotEqualTo(other);
    }
    assertThat(o.toString()).contains("[a]", "SIGNALLED", "PT3S", "oneShot=true", "onFailure");
  }

  @Test
  void addChecksTheOptionsAndNamesTheActor() {
    Group group = new Group();
    group.add("first", Interruptible.of(() -> {}, c -> {}));
    assertThatThrownBy(
            () ->
                group.add(
                    "worker",
                    () -> Interruptible.of(() -> {}, c -> {}),
                    ActorOptions.defaults().restart(RestartPolicy.onFailure().maxRestarts(-1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("actor 'worker'")
        .hasMessageContaining("maxRestarts");
    assertThatThrownBy(
            () ->
                group.add(
                    "worker",
                    Interruptible.of(() -> {}, c -> {}),
                    ActorOptions.defaults().startupTimeout(Duration.ZERO)))
        .hasMessageContaining("actor 'worker'")
        .hasMessageContaining("startupTimeout must be positive");
    assertThatThrownBy(
            () ->
                group.add(
                    "worker",
                    Interruptible.of(() -> {}, c -> {}),
                    ActorOptions.defaults().startupTimeout(Duration.ofSeconds(-1))))
        .hasMessageContaining("startupTimeout must be positive");
    assertThatThrownBy(
            () ->
                group.add(
                    "worker",
                    Interruptible.of(() -> {}, c -> {}),
                    ActorOptions.defaults().restart(RestartPolicy.onFailure())))
        .hasMessageContaining("actor 'worker'")
        .hasMessageContaining("Supplier");
    assertThatThrownBy(
            () ->
                group.add(
                    "worker",
                    () -> Interruptible.of(() -> {}, c -> {}),
                    ActorOptions.defaults().oneShot().restart(RestartPolicy.always())))
        .hasMessageContaining("actor 'worker'")
        .hasMessageContaining("oneShot()");
    assertThatThrownBy(
            () ->
                group.add(
                    "worker",
                    Interruptible.of(() -> {}, c -> {}),
                    ActorOptions.defaults().after("nobody")))
        .hasMessageContaining("actor 'worker'")
        .hasMessageContaining("'nobody'")
        .hasMessageContaining("[first]");
    assertThatThrownBy(
            () ->
                group.add(
                    "worker",
                    Interruptible.of(() -> {}, c -> {}),
                    ActorOptions.defaults().after("worker")))
        .hasMessageContaining("after(itself)");
    // nothing of the failed adds was kept: the name is still free
    ActorOptions ok = ActorOptions.defaults().after("first").startupTimeout(Duration.ofDays(1));
    assertThat(group.add("worker", Interruptible.of(() -> {}, c -> {}), ok)).isSameAs(group);
    assertThat(
            group.add(
                "supervised",
                () -> Interruptible.of(() -> {}, c -> {}),
                ActorOptions.defaults().restart(RestartPolicy.onFailure())))
        .isSameAs(group);
  }
}
