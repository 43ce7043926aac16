package dev.rungroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The three behaviours oklog/run's own tests pin: TestZero, TestOne, TestMany. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OklogBehaviourTest {

  @Test
  void zeroActorsReturnAtOnceWithoutError() {
    Exit exit = new Group().run();

    assertThat(exit.error()).isNull();
    assertThat(exit.actors()).isEmpty();
    assertThat(exit.firstActor()).isEmpty();
  }

  @Test
  void oneActorsErrorIsReturned() {
    IllegalStateException boom = new IllegalStateException("boom");
    Group group = new Group();
    group.add(
        () -> {
          throw boom;
        },
        cause -> {});

    Exit exit = group.run();

    assertThat(exit.error()).isSameAs(boom);
    assertThat(exit.firstActor()).hasValue("actor-1");
  }

  @Test
  void manyActorsTheFirstErrorInterruptsTheRestAndIsReturned() {
    IllegalStateException boom = new IllegalStateException("boom");
    CountDownLatch stop = new CountDownLatch(1);
    Group group = new Group();
    group.add(
        "failing",
        () -> {
          throw boom;
        },
        cause -> {});
    group.add("waiting", stop::await, cause -> stop.countDown());

    Exit exit = group.run();

    assertThat(exit.error()).isSameAs(boom);
    assertThat(exit.firstActor()).hasValue("failing");
    assertThat(exit.actors()).extracting(Exit.Outcome::name).containsExactly("failing", "waiting");
    assertThat(exit.actors().get(1).error()).isNull();
    assertThat(exit.allStopped()).isTrue();
  }
}
