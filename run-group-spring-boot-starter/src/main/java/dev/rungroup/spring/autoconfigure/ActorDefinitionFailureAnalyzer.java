package dev.rungroup.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Shows a misuse of {@link dev.rungroup.spring.Actor @Actor} as Spring Boot's "APPLICATION FAILED
 * TO START" report, with the fix as the action. Registered in {@code META-INF/spring.factories}.
 */
final class ActorDefinitionFailureAnalyzer
    extends AbstractFailureAnalyzer<ActorDefinitionException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ActorDefinitionException cause) {
    return new FailureAnalysis(cause.problem(), cause.fix(), cause);
  }
}
