package dev.rungroup.bench.starter;

import jakarta.annotation.PostConstruct;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * One of the benchmark's ordinary beans (not an actor): a service with an injected dependency and
 * an initialisation method, the kind of bean Spring's annotation processing looks at.
 */
public class PlainService {

  private String name = "?";
  private boolean initialised;

  /** A bean; made by Spring from the registered definitions. */
  public PlainService() {}

  /**
   * Takes the application's name from the environment.
   *
   * @param environment the context's environment
   */
  @Autowired
  public void setEnvironment(Environment environment) {
    this.name = environment.getProperty("spring.application.name", "startup-app");
  }

  /** Marks the service initialised. */
  @PostConstruct
  public void initialise() {
    initialised = true;
  }

  /**
   * Whether the initialisation ran.
   *
   * @return {@code true} once initialised
   */
  public boolean isInitialised() {
    return initialised;
  }

  /**
   * A greeting.
   *
   * @param who whom to greet
   * @return the greeting
   */
  public String greet(String who) {
    return "Hello " + who + " from " + name;
  }
}
