package dev.rungroup;

/**
 * When an actor counts as ready: the moment its dependents (the actors {@linkplain
 * ActorOptions#after(String...) after} it) may begin and, once every actor is, the group
 * {@linkplain Group#isReady() is ready}.
 *
 * @see ActorOptions#readiness(Readiness)
 * @since 0.2
 */
public enum Readiness {
  /**
   * Ready once its {@code execute} begins (the default; every actor added without options is). A
   * {@linkplain ActorOptions#oneShot() one-shot} actor is ready once it returns normally instead.
   */
  ON_START,

  /**
   * Ready when the actor calls {@link ActorContext#ready()}, typically once it has opened what it
   * serves; a {@linkplain ActorOptions#oneShot() one-shot} actor also once it returns normally.
   */
  SIGNALLED
}
