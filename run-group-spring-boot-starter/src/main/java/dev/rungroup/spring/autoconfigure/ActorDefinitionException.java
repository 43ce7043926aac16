package dev.rungroup.spring.autoconfigure;

/**
 * A misuse of {@link dev.rungroup.spring.Actor @Actor}, or of the actors' {@code run-group.*}
 * properties, found when the context starts. Its message reads "{@code <problem>. Fix: <fix>}";
 * {@link ActorDefinitionFailureAnalyzer} shows the two parts as Spring Boot's "Description" and
 * "Action".
 */
final class ActorDefinitionException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private static final String FIX = " Fix: ";

  ActorDefinitionException(String message) {
    super(message);
  }

  /** What is wrong: the message up to "Fix:". */
  String problem() {
    String message = String.valueOf(getMessage());
    int fix = message.indexOf(FIX);
    return fix < 0 ? message : message.substring(0, fix);
  }

  /** How to fix it: the message after "Fix:". */
  String fix() {
    String message = String.valueOf(getMessage());
    int fix = message.indexOf(FIX);
    return fix < 0
        ? "Check the @Actor annotations of the application."
        : message.substring(fix + FIX.length());
  }
}
