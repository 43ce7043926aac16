package dev.rungroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No user code under the lock: the engine asserts it wherever it calls user code, these tests run
 * with assertions on, and a listener that calls back into its group from every event, on its own
 * thread and on another one, does not deadlock.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LockRuleTest {

  @Test
  void theEnginesAssertionsAreOnInTheseTests() {
    assertThat(Group.class.desiredAssertionStatus()).isTrue();
    assertThat(Slot.class.desiredAssertionStatus()).isTrue();
    assertThat(Listeners.class.desiredAssertionStatus()).isTrue();
    assertThat(EndActions.class.desiredAssertionStatus()).isTrue();
  }

  @ParameterizedTest(name = "stop timeout: {0}")
  @ValueSource(booleans = {false, true})
  void aListenerCallingBackIntoTheGroupFromEveryEventDoesNotDeadlock(boolean bounded)
      throws InterruptedException {
    AtomicReference<@Nullable Group> ref = new AtomicReference<>();
    Map<String, String> seen = new ConcurrentHashMap<>();
    GroupListener callingBack =
        new GroupListener() {
          @Override
          public void actorStarted(String actor, Thread thread) {
            callBack("actorStarted " + actor);
          }

          @Override
          public void actorReturned(String actor, @Nullable Throwable error) {
            callBack("actorReturned " + actor);
          }

          @Override
          public void groupStopping(@Nullable String firstActor, @Nullable Throwable cause) {
            callBack("groupStopping");
          }

          @Override
          public void groupStopped(Exit exit) {
            callBack("groupStopped");
          }

          private void callBack(String event) {
            Group group = ref.get();
            assertThat(group).isNotNull();
            String here = group.state() + " " + group;
            group.stop();
            AtomicReference<@Nullable String> there = new AtomicReference<>();
            Thread other =
                new Thread(
                    () -> {
                      there.set(group.state() + " " + group);
                      group.stop(new IllegalStateException("late"));
                    },
                    "calls-back");
            other.start();
            try {
              other.join(TimeUnit.SECONDS.toMillis(20));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            assertThat(there.get()).as("the other thread's call back").isNotNull();
            seen.put(event, here);
          }
        };
    Group.Builder builder = TestThreads.builder().listener(callingBack);
    if (bounded) {
      builder.stopTimeout(Duration.ofSeconds(20));
    }
    Group group = builder.build();
    ref.set(group);
    CountDownLatch stop = new CountDownLatch(1);
    group.add("waits", stop::await, c -> stop.countDown());
    group.add("returns", () -> {}, c -> {});

    Exit exit = group.run();

    assertThat(exit.listenerErrors()).isEmpty();
    assertThat(exit.allStopped()).isTrue();
    assertThat(exit.firstActor()).as("the listener's stop came first").isEmpty();
    assertThat(exit.error()).isNull();
    assertThat(seen.keySet())
        .containsExactlyInAnyOrderElementsOf(
            List.of(
                "actorStarted waits",
                "actorStarted returns",
                "actorReturned waits",
                "actorReturned returns",
                "groupStopping",
                "groupStopped"));
    assertThat(seen.get("groupStopped")).startsWith("STOPPED Group[STOPPED, 2 actors]");
    assertThat(group.state()).isEqualTo(Group.State.STOPPED);
  }
}
