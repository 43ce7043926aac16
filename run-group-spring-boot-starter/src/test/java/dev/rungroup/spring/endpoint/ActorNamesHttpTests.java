package dev.rungroup.spring.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.Interruptible;
import dev.rungroup.spring.Actor;
import dev.rungroup.spring.endpoint.Http.Answer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/**
 * Every name that {@code GET /actuator/actors} lists can be fetched by name over real HTTP: the
 * names the starter accepts (dots, spaces, {@code ?}, {@code #}, non-ASCII letters...) are all
 * addressable once URL-encoded, as a client encodes a path segment.
 */
@SpringBootTest(
    classes = ActorNamesHttpTests.Application.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "management.endpoints.web.exposure.include=actors")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ActorNamesHttpTests {

  /** Bean names of actors, each a name the starter accepts. */
  static final List<String> NAMES =
      List.of(
          "x.y.z", "a b", "a?b#c", "\u00e9t\u00e9", "a:b+c@d=e&f", "(a)[b]{c}", "~-_!*'$,|^`\"<>");

  @LocalServerPort int port;

  @Test
  void everyListedActorCanBeFetchedByItsEncodedName() throws Exception {
    Http http = new Http(port);
    Answer all = http.get("/actuator/actors");
    assertThat(all.status()).isEqualTo(200);
    List<Object> listed = all.list("$.actors[*].name");
    assertThat(listed).contains("names.work").containsAll(NAMES);
    for (Object name : listed) {
      String encoded =
          URLEncoder.encode(String.valueOf(name), StandardCharsets.UTF_8).replace("+", "%20");
      Answer one = http.get("/actuator/actors/" + encoded);
      assertThat(one.status()).as("GET /actuator/actors/%s", encoded).isEqualTo(200);
      assertThat(one.read("$.name", String.class)).isEqualTo(name);
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Application {

    @Bean
    static BeanDefinitionRegistryPostProcessor namedActors() {
      return new BeanDefinitionRegistryPostProcessor() {
        @Override
        public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
          for (String name : NAMES) {
            registry.registerBeanDefinition(name, new RootBeanDefinition(AnnotatedGate.class));
          }
        }
      };
    }

    @Bean
    Names names() {
      return new Names();
    }
  }

  /** Runs until interrupted; an annotated class, for the bean definitions above name a class. */
  @Actor
  static final class AnnotatedGate implements Interruptible {
    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public void execute() throws InterruptedException {
      stop.await();
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      stop.countDown();
    }
  }

  /** A method actor: its name has a dot. */
  static final class Names {
    @Actor
    void work() throws InterruptedException {
      new CountDownLatch(1).await();
    }
  }
}
