package dev.rungroup.spring.autoconfigure;

import dev.rungroup.ActorContext;
import dev.rungroup.ActorOptions;
import dev.rungroup.Interruptible;
import dev.rungroup.Readiness;
import dev.rungroup.RestartPolicy;
import dev.rungroup.spring.Actor;
import dev.rungroup.spring.Restart;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.autoproxy.AutoProxyUtils;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.Order;
import org.springframework.core.annotation.OrderUtils;
import org.springframework.core.type.MethodMetadata;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds the {@link Actor @Actor} beans and methods of a bean factory, checks them, and puts them in
 * order. Misuse fails with an {@link ActorDefinitionException} naming the bean, the member and the
 * fix.
 */
final class ActorScanner {

  /**
   * How to make an actor for one run: {@code groupStopping} tells whether the run is stopping,
   * {@code closingContext} whether a thread of the run is stopping or closing the context.
   */
  @FunctionalInterface
  interface ActorFactory {
    Interruptible create(BooleanSupplier groupStopping, Predicate<Thread> closingContext);
  }

  /**
   * One actor of the context.
   *
   * @param name its unique name
   * @param source what declared it, for messages: "bean 'x'" or "method 'x.run()'"
   * @param factory makes the actor for a run, or for each incarnation of a restarted one
   * @param options what its {@code @Actor} says (after, readiness, one-shot, restart) and, once
   *     tuned, its properties (startup timeout, restart budget and backoff)
   * @param leader the leadership it runs under, or {@code null} for an actor of every replica
   */
  record ActorDefinition(
      String name,
      String source,
      ActorFactory factory,
      ActorOptions options,
      @Nullable String leader) {

    /** An actor of every replica. */
    ActorDefinition(String name, String source, ActorFactory factory, ActorOptions options) {
      this(name, source, factory, options, null);
    }

    /** This actor with its options tuned by the properties. */
    ActorDefinition tuned(ActorTuning tuning) {
      return new ActorDefinition(
          name, source, factory, tuning.apply(name, source, options), leader);
    }
  }

  /**
   * An actor found on a bean, in the order the group adds it: by the bean's order, then by the
   * bean's place among the definitions, then by its place on the bean.
   */
  private record Candidate(int order, int index, int position, ActorDefinition definition)
      implements Comparable<Candidate> {
    @Override
    public int compareTo(Candidate other) {
      int byOrder = Integer.compare(order, other.order);
      if (byOrder != 0) {
        return byOrder;
      }
      int byIndex = Integer.compare(index, other.index);
      return byIndex != 0 ? byIndex : Integer.compare(position, other.position);
    }
  }

  /**
   * What {@code @Actor} says about one bean class: on the class itself, and on its methods (in
   * actor order). Found once per class in a scan, for all the beans of that class.
   */
  private record ClassActors(@Nullable Actor onType, List<Map.Entry<Method, Actor>> methods) {
    static final ClassActors NONE = new ClassActors(null, List.of());

    static ClassActors of(Class<?> userClass) {
      if (!mayHoldActors(userClass)) {
        return NONE;
      }
      Actor onType = AnnotatedElementUtils.findMergedAnnotation(userClass, Actor.class);
      List<Map.Entry<Method, Actor>> methods = sortedMethods(actorMethods(userClass));
      return onType == null && methods.isEmpty() ? NONE : new ClassActors(onType, methods);
    }

    boolean isEmpty() {
      return onType == null && methods.isEmpty();
    }
  }

  /**
   * The packages of libraries that do not depend on run-group, so that none of their classes
   * carries {@code @Actor}, on the class or on a method: the beans of these classes (most of the
   * beans of a Spring Boot application with Actuator) and their {@code @Bean} methods are not
   * searched. Spring's {@code @EventListener} detection skips {@code org.springframework} classes
   * the same way. A subclass of one of these classes in another package is searched as any class.
   */
  private static final List<String> FRAMEWORK_PACKAGES =
      List.of("org.springframework.", "io.micrometer.", "tools.jackson.", "com.fasterxml.jackson.");

  private ActorScanner() {}

  /**
   * Whether {@code type} can carry {@code @Actor}, on itself or on a method: not a class of the JDK
   * (as Spring's {@link AnnotationUtils#isCandidateClass}) or of the {@linkplain
   * #FRAMEWORK_PACKAGES frameworks}.
   */
  static boolean mayHoldActors(Class<?> type) {
    return !isFrameworkClass(type.getName()) && AnnotationUtils.isCandidateClass(type, Actor.class);
  }

  private static boolean isFrameworkClass(String className) {
    for (String framework : FRAMEWORK_PACKAGES) {
      if (className.startsWith(framework)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The actors of {@code beanFactory}, tuned by {@code tuning}, in the order the group adds them.
   *
   * @throws ActorDefinitionException for a misuse of {@code @Actor} or of the actors' properties
   */
  static List<ActorDefinition> scan(
      ConfigurableListableBeanFactory beanFactory, ActorTuning tuning) {
    List<Candidate> candidates = new ArrayList<>();
    Map<Class<?>, ClassActors> byClass = new HashMap<>();
    String[] beanNames = beanFactory.getBeanDefinitionNames();
    for (int index = 0; index < beanNames.length; index++) {
      String beanName = beanNames[index];
      if (ScopedProxyUtils.isScopedTarget(beanName)) {
        continue;
      }
      BeanDefinition definition = beanFactory.getMergedBeanDefinition(beanName);
      if (definition.isAbstract()) {
        continue;
      }
      Class<?> type;
      try {
        type = AutoProxyUtils.determineTargetClass(beanFactory, beanName);
      } catch (RuntimeException e) {
        // as Spring's @EventListener detection: a bean whose type cannot be resolved is skipped
        continue;
      }
      if (type == null) {
        continue;
      }
      Class<?> userClass = ClassUtils.getUserClass(type);
      FactoryMethodActor onFactoryMethod = factoryMethodActor(beanFactory, beanName, definition);
      ClassActors classActors = byClass.get(userClass);
      if (classActors == null) {
        classActors = ClassActors.of(userClass);
        byClass.put(userClass, classActors);
      }
      Actor onType = classActors.onType();
      if (onFactoryMethod == null && classActors.isEmpty()) {
        continue;
      }
      String where = describe(beanName, userClass, onFactoryMethod);
      Actor beanActor = onFactoryMethod != null ? onFactoryMethod.actor() : onType;
      if (!definition.isSingleton()) {
        ActorDefinition prototype =
            prototypeActor(beanFactory, beanName, definition, type, where, beanActor, classActors);
        int order = order(null, beanFactory, beanName, definition, userClass);
        candidates.add(new Candidate(order, index, 0, prototype));
        continue;
      }
      Object bean = beanFactory.getBean(beanName);
      int order = order(bean, beanFactory, beanName, definition, userClass);
      List<ActorDefinition> ofBean = new ArrayList<>(); // the bean's own first, then its methods
      if (beanActor != null) {
        if (!(bean instanceof Interruptible interruptible)) {
          throw new ActorDefinitionException(
              "@Actor on "
                  + where
                  + " cannot be run: "
                  + (onFactoryMethod != null
                      ? "the bean it returned (" + bean.getClass().getName() + ")"
                      : "the bean")
                  + " does not implement "
                  + Interruptible.class.getName()
                  + ". Fix: implement Interruptible"
                  + (onFactoryMethod != null
                      ? " or return an Interruptible from the @Bean method"
                      : "")
                  + ", or put @Actor on a no-argument method of the bean instead.");
        }
        checkNoInterruptMethod(beanActor, where);
        String name = beanActor.name().isEmpty() ? beanName : beanActor.name();
        String source = "bean '" + beanName + "'";
        ofBean.add(
            new ActorDefinition(
                name,
                source,
                (stopping, closing) -> interruptible,
                options(beanActor, source),
                leader(beanActor, source)));
      }
      for (Map.Entry<Method, Actor> entry : classActors.methods()) {
        ofBean.add(methodActor(bean, beanName, userClass, entry.getKey(), entry.getValue()));
      }
      for (int position = 0; position < ofBean.size(); position++) {
        candidates.add(new Candidate(order, index, position, ofBean.get(position)));
      }
    }
    Collections.sort(candidates);
    List<ActorDefinition> actors = new ArrayList<>(candidates.size());
    Map<String, ActorDefinition> byName = new HashMap<>();
    for (Candidate candidate : candidates) {
      ActorDefinition actor = candidate.definition();
      ActorDefinition other = byName.putIfAbsent(actor.name(), actor);
      if (other != null) {
        throw new ActorDefinitionException(
            "Two actors are named '"
                + actor.name()
                + "': "
                + other.source()
                + " and "
                + actor.source()
                + ". Fix: give one of them another name with @Actor(name = \"...\").");
      }
      if (actor.name().isBlank()) {
        throw new ActorDefinitionException(
            "@Actor on " + actor.source() + " has a blank name. Fix: give it a name, or none.");
      }
      String unaddressable = unaddressable(actor.name());
      if (unaddressable != null) {
        throw new ActorDefinitionException(
            "@Actor on "
                + actor.source()
                + " is named '"
                + actor.name()
                + "', which the actors endpoint cannot address (GET /actuator/actors/{name}): "
                + unaddressable
                + ". Fix: give it another name with @Actor(name = \"...\"), one without '/', '\\',"
                + " '%', ';' or control characters and other than '.' and '..' (dots inside a"
                + " name are fine).");
      }
      actors.add(actor.tuned(tuning));
    }
    tuning.checkKeys(byName.keySet());
    if (actors.isEmpty()) {
      return List.of();
    }
    List<ActorDefinition> sorted = topological(actors);
    checkLeaderEdges(sorted);
    return sorted;
  }

  /**
   * An actor bean that is not a singleton: allowed for a prototype-scoped {@code Interruptible}
   * with a restart policy and no actor methods, which gets a fresh bean per incarnation.
   */
  private static ActorDefinition prototypeActor(
      ConfigurableListableBeanFactory beanFactory,
      String beanName,
      BeanDefinition definition,
      Class<?> type,
      String where,
      @Nullable Actor beanActor,
      ClassActors classActors) {
    String refused =
        "@Actor on "
            + where
            + " cannot be run: the bean has scope '"
            + definition.getScope()
            + "', but an actor must be a singleton";
    if (!definition.isPrototype()) {
      throw new ActorDefinitionException(
          refused
              + " (or a prototype-scoped Interruptible with a restart policy). Fix: remove the"
              + " scope, or remove @Actor.");
    }
    if (!classActors.methods().isEmpty()) {
      throw new ActorDefinitionException(
          refused
              + ": its @Actor methods run on one bean (a prototype-scoped Interruptible bean with a"
              + " restart policy is the only actor allowed a prototype, with a fresh bean per"
              + " incarnation). Fix: remove the scope, or move the methods to a singleton bean.");
    }
    if (beanActor == null || beanActor.restart() == Restart.NEVER) {
      throw new ActorDefinitionException(
          refused
              + ", unless it is restarted: a prototype-scoped actor bean with a restart policy gets"
              + " a fresh bean per incarnation. Fix: remove the scope, give the actor"
              + " @Actor(restart = Restart.ON_FAILURE) (or ALWAYS) for a fresh bean at each"
              + " restart, or remove @Actor.");
    }
    if (!Interruptible.class.isAssignableFrom(type)) {
      throw new ActorDefinitionException(
          "@Actor on "
              + where
              + " cannot be run: the bean's type ("
              + type.getName()
              + ") does not implement "
              + Interruptible.class.getName()
              + ". Fix: implement Interruptible (or declare the @Bean method to return one), or"
              + " remove @Actor.");
    }
    checkNoInterruptMethod(beanActor, where);
    String name = beanActor.name().isEmpty() ? beanName : beanActor.name();
    String source = "bean '" + beanName + "'";
    return new ActorDefinition(
        name,
        source,
        (stopping, closing) -> freshBean(beanFactory, beanName),
        options(beanActor, source),
        leader(beanActor, source));
  }

  /** A fresh prototype bean, on the actor's thread as its incarnation starts. */
  private static Interruptible freshBean(
      ConfigurableListableBeanFactory beanFactory, String beanName) {
    Object bean = beanFactory.getBean(beanName);
    if (bean instanceof Interruptible interruptible) {
      return interruptible;
    }
    throw new IllegalStateException(
        "The prototype actor bean '"
            + beanName
            + "' is a "
            + bean.getClass().getName()
            + ", which does not implement "
            + Interruptible.class.getName());
  }

  /** Refuses {@code interrupt} on a bean actor: it is for method actors only. */
  private static void checkNoInterruptMethod(Actor actor, String where) {
    if (!actor.interrupt().isEmpty()) {
      throw new ActorDefinitionException(
          "@Actor(interrupt = \""
              + actor.interrupt()
              + "\") on "
              + where
              + " cannot be used: interrupt is for method actors only, and this actor is the bean,"
              + " interrupted through its Interruptible.interrupt(Throwable). Fix: remove"
              + " interrupt, and call that method from the bean's interrupt.");
    }
  }

  /** One {@code @Actor} method of a singleton bean, checked. */
  private static ActorDefinition methodActor(
      Object bean, String beanName, Class<?> userClass, Method method, Actor actor) {
    String member = method.getName() + "()";
    String methodWhere =
        "method " + userClass.getName() + "." + member + " of bean '" + beanName + "'";
    if (Modifier.isStatic(method.getModifiers())) {
      throw new ActorDefinitionException(
          "@Actor on static "
              + methodWhere
              + " cannot be run: an actor method must be an instance method. Fix: make the"
              + " method non-static, or wrap it in an Interruptible bean.");
    }
    Class<?>[] parameters = method.getParameterTypes();
    boolean takesContext = parameters.length == 1 && parameters[0] == ActorContext.class;
    if (parameters.length != 0 && !takesContext) {
      throw new ActorDefinitionException(
          "@Actor on "
              + methodWhere.replace("()", "(...)")
              + " cannot be run: an actor method takes no arguments or one "
              + ActorContext.class.getName()
              + " (the context of its incarnation), this one takes "
              + parameters.length
              + " ("
              + String.join(", ", Arrays.stream(parameters).map(Class::getSimpleName).toList())
              + "). Fix: remove the parameters (inject what it needs into the bean instead), or"
              + " keep a single ActorContext parameter.");
    }
    if (takesContext) {
      member = method.getName() + "(ActorContext)";
      methodWhere = "method " + userClass.getName() + "." + member + " of bean '" + beanName + "'";
    }
    Method invocable = invocable(method, bean, methodWhere);
    Method interrupt = interruptMethod(actor, method, bean, userClass, methodWhere);
    String name = actor.name().isEmpty() ? beanName + "." + method.getName() : actor.name();
    String source = "method '" + beanName + "." + member + "'";
    return new ActorDefinition(
        name,
        source,
        (stopping, closing) ->
            new MethodActor(bean, invocable, takesContext, interrupt, stopping, closing),
        options(actor, source),
        leader(actor, source));
  }

  /**
   * The leadership {@code actor} runs under, checked: {@code null} for none; a blank name, or one
   * the lock keys and log lines cannot carry, fails.
   */
  private static @Nullable String leader(Actor actor, String source) {
    String leader = actor.leader();
    if (leader.isEmpty()) {
      return null;
    }
    if (leader.isBlank() || !leader.strip().equals(leader) || hasControlCharacter(leader)) {
      throw new ActorDefinitionException(
          "@Actor(leader = \""
              + leader
              + "\") on "
              + source
              + " names no usable leadership: the name is blank, begins or ends with a space, or"
              + " holds a control character. Fix: give the leadership a plain name, as"
              + " @Actor(leader = \"billing\"), or remove leader.");
    }
    return leader;
  }

  private static boolean hasControlCharacter(String text) {
    return text.chars().anyMatch(Character::isISOControl);
  }

  /**
   * Fails if an actor's {@code after} names a leader actor while it does not run under the same
   * leadership: the leader actor may be running on another replica.
   */
  private static void checkLeaderEdges(List<ActorDefinition> actors) {
    Map<String, ActorDefinition> byName = new HashMap<>();
    for (ActorDefinition actor : actors) {
      byName.put(actor.name(), actor);
    }
    for (ActorDefinition actor : actors) {
      for (String dependency : actor.options().dependencies()) {
        ActorDefinition other = byName.get(dependency);
        String otherLeader = other == null ? null : other.leader();
        if (other == null || otherLeader == null) {
          continue;
        }
        if (!otherLeader.equals(actor.leader())) {
          throw new ActorDefinitionException(
              "@Actor on "
                  + actor.source()
                  + " (actor '"
                  + actor.name()
                  + "'"
                  + (actor.leader() == null ? "" : ", leader '" + actor.leader() + "'")
                  + ") starts after '"
                  + other.name()
                  + "' ("
                  + other.source()
                  + "), a leader actor of leadership '"
                  + otherLeader
                  + "' that runs only on the replica holding it: an actor may start after a leader"
                  + " actor only when it has the same leader. Fix: give '"
                  + actor.name()
                  + "' @Actor(leader = \""
                  + otherLeader
                  + "\"), or remove '"
                  + other.name()
                  + "' from its after.");
        }
      }
    }
  }

  /** {@code method} as it can be called on {@code bean} (a proxy, maybe), made accessible. */
  private static Method invocable(Method method, Object bean, String where) {
    Method invocable;
    try {
      invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
    } catch (IllegalStateException e) {
      throw new ActorDefinitionException(
          "@Actor on "
              + where
              + " cannot be run: the bean is a proxy that cannot reach the method ("
              + e.getMessage()
              + "). Fix: make the method public, protected or package-private, or declare it"
              + " on an interface of the bean.");
    }
    ReflectionUtils.makeAccessible(invocable);
    return invocable;
  }

  /**
   * The method that {@code @Actor(interrupt = "...")} names, checked and invocable on the bean, or
   * {@code null} if it names none (the actor's thread is then interrupted).
   */
  private static @Nullable Method interruptMethod(
      Actor actor, Method actorMethod, Object bean, Class<?> userClass, String where) {
    String name = actor.interrupt();
    if (name.isEmpty()) {
      return null;
    }
    String attribute = "@Actor(interrupt = \"" + name + "\") on " + where;
    String fix =
        " Fix: name a no-argument instance method of the bean that makes the actor method return,"
            + " or remove interrupt (the actor's thread is then interrupted).";
    List<Method> named =
        Arrays.stream(
                ReflectionUtils.getUniqueDeclaredMethods(
                    userClass, ReflectionUtils.USER_DECLARED_METHODS))
            .filter(candidate -> candidate.getName().equals(name))
            .toList();
    if (named.isEmpty()) {
      throw new ActorDefinitionException(
          attribute + " names no method of " + userClass.getName() + "." + fix);
    }
    Method method =
        named.stream()
            .filter(candidate -> candidate.getParameterCount() == 0)
            .findFirst()
            .orElse(null);
    String member = userClass.getName() + "." + name + "()";
    if (method == null) {
      throw new ActorDefinitionException(
          attribute
              + " names "
              + userClass.getName()
              + "."
              + name
              + "(...), which takes parameters: an interrupt method takes none."
              + fix);
    }
    if (Modifier.isStatic(method.getModifiers())) {
      throw new ActorDefinitionException(
          attribute
              + " names the static method "
              + member
              + ": it must be an instance method."
              + fix);
    }
    if (method.getName().equals(actorMethod.getName()) && actorMethod.getParameterCount() == 0) {
      throw new ActorDefinitionException(
          attribute + " names the actor method itself, which would run it again to stop it." + fix);
    }
    if (AnnotatedElementUtils.hasAnnotation(method, Actor.class)) {
      throw new ActorDefinitionException(
          attribute
              + " names "
              + member
              + ", which is an @Actor method itself: an interrupt must make the actor return, not"
              + " run another actor."
              + fix);
    }
    Method invocable;
    try {
      invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
    } catch (IllegalStateException e) {
      throw new ActorDefinitionException(
          attribute
              + " names "
              + member
              + ", which the bean's proxy cannot reach ("
              + e.getMessage()
              + "). Fix: make the interrupt method public, protected or package-private, or declare"
              + " it on an interface of the bean.");
    }
    ReflectionUtils.makeAccessible(invocable);
    return invocable;
  }

  /** What an {@code @Actor} says about how the group runs the actor. */
  private static ActorOptions options(Actor actor, String source) {
    if (actor.oneShot() && actor.restart() == Restart.ALWAYS) {
      throw new ActorDefinitionException(
          "@Actor on "
              + source
              + " has oneShot = true and restart = ALWAYS, which contradict each other: a one-shot"
              + " actor's normal return is its end. Fix: restart = Restart.ON_FAILURE (restart"
              + " failures only), or remove oneShot.");
    }
    ActorOptions options = ActorOptions.defaults();
    if (actor.after().length > 0) {
      options = options.after(actor.after());
    }
    if (actor.readiness() != Readiness.ON_START) {
      options = options.readiness(actor.readiness());
    }
    if (actor.oneShot()) {
      options = options.oneShot();
    }
    return switch (actor.restart()) {
      case NEVER -> options;
      case ON_FAILURE -> options.restart(RestartPolicy.onFailure());
      case ALWAYS -> options.restart(RestartPolicy.always());
    };
  }

  /**
   * The actors in the order the group adds them: a topological order of their {@code after} edges
   * (Kahn's algorithm), ties in the order given (by {@code @Order}, then registration). An unknown
   * name or a cycle fails, naming the actors.
   */
  static List<ActorDefinition> topological(List<ActorDefinition> ordered) {
    int n = ordered.size();
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < n; i++) {
      position.put(ordered.get(i).name(), i);
    }
    int[] unplacedDependencies = new int[n];
    List<List<Integer>> dependents = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      dependents.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      ActorDefinition actor = ordered.get(i);
      for (String dependency : new LinkedHashSet<>(actor.options().dependencies())) {
        Integer at = position.get(dependency);
        if (at == null) {
          throw new ActorDefinitionException(
              "@Actor on "
                  + actor.source()
                  + " (actor '"
                  + actor.name()
                  + "') starts after '"
                  + dependency
                  + "', which is no actor of this context (its actors: "
                  + position.keySet().stream().sorted().toList()
                  + "). Fix: name an actor of this context in after (a method actor without a"
                  + " name is 'beanName.methodName'), or remove the name.");
        }
        unplacedDependencies[i]++;
        dependents.get(at).add(i);
      }
    }
    PriorityQueue<Integer> placeable = new PriorityQueue<>();
    for (int i = 0; i < n; i++) {
      if (unplacedDependencies[i] == 0) {
        placeable.add(i);
      }
    }
    List<ActorDefinition> sorted = new ArrayList<>(n);
    boolean[] placed = new boolean[n];
    while (!placeable.isEmpty()) {
      int next = placeable.poll();
      placed[next] = true;
      sorted.add(ordered.get(next));
      for (int dependent : dependents.get(next)) {
        if (--unplacedDependencies[dependent] == 0) {
          placeable.add(dependent);
        }
      }
    }
    if (sorted.size() < n) {
      throw cycle(ordered, position, placed);
    }
    return List.copyOf(sorted);
  }

  /** Follows unplaced dependencies from the first unplaced actor until one comes back. */
  private static ActorDefinitionException cycle(
      List<ActorDefinition> ordered, Map<String, Integer> position, boolean[] placed) {
    int start = 0;
    while (placed[start]) {
      start++;
    }
    List<Integer> path = new ArrayList<>();
    Map<Integer, Integer> seenAt = new HashMap<>();
    int at = start;
    while (!seenAt.containsKey(at)) {
      seenAt.put(at, path.size());
      path.add(at);
      int from = at;
      at =
          ordered.get(from).options().dependencies().stream()
              .map(position::get)
              .filter(i -> i != null && !placed[i])
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no cycle through " + from));
    }
    List<Integer> loop = path.subList(seenAt.get(at), path.size());
    StringBuilder chain = new StringBuilder();
    for (int i : loop) {
      chain.append("'").append(ordered.get(i).name()).append("' (").append(ordered.get(i).source());
      chain.append(") starts after ");
    }
    chain.append("'").append(ordered.get(loop.get(0)).name()).append("'");
    return new ActorDefinitionException(
        "The actors "
            + loop.stream().map(i -> "'" + ordered.get(i).name() + "'").toList()
            + " start after one another in a cycle: "
            + chain
            + ", so none of them could ever start. Fix: remove one of these names from its"
            + " @Actor(after = ...).");
  }

  /**
   * Why the actors endpoint cannot address an actor of this name as one path segment, or {@code
   * null} if it can: web servers refuse an encoded {@code /} or {@code \\}, and Spring Security's
   * default firewall an encoded {@code %}, a {@code ;}, control characters and the path segments
   * {@code .} and {@code ..} (which clients also normalise away).
   */
  static @Nullable String unaddressable(String name) {
    if (name.equals(".") || name.equals("..")) {
      return "it is a relative path segment";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\' || c == '%' || c == ';') {
        return "it contains '" + c + "'";
      }
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        return "it contains the control character U+" + String.format("%04X", (int) c);
      }
    }
    return null;
  }

  /** The @Actor of the @Bean method that made the bean, if any. */
  private record FactoryMethodActor(Actor actor, String method) {}

  private static @Nullable FactoryMethodActor factoryMethodActor(
      ConfigurableListableBeanFactory beanFactory, String beanName, BeanDefinition merged) {
    if (merged instanceof RootBeanDefinition root) {
      Method method = root.getResolvedFactoryMethod();
      if (method != null) {
        if (!mayHoldActors(method.getDeclaringClass())) {
          return null; // a @Bean method of a framework's configuration
        }
        Actor actor = AnnotatedElementUtils.findMergedAnnotation(method, Actor.class);
        return actor == null
            ? null
            : new FactoryMethodActor(
                actor, method.getDeclaringClass().getName() + "." + method.getName() + "()");
      }
    }
    if (beanFactory.containsBeanDefinition(beanName)
        && beanFactory.getBeanDefinition(beanName) instanceof AnnotatedBeanDefinition annotated) {
      MethodMetadata metadata = annotated.getFactoryMethodMetadata();
      if (metadata != null && !isFrameworkClass(metadata.getDeclaringClassName())) {
        MergedAnnotation<Actor> actor = metadata.getAnnotations().get(Actor.class);
        if (actor.isPresent()) {
          return new FactoryMethodActor(
              actor.synthesize(),
              metadata.getDeclaringClassName() + "." + metadata.getMethodName() + "()");
        }
      }
    }
    return null;
  }

  static Map<Method, Actor> actorMethods(Class<?> userClass) {
    return MethodIntrospector.selectMethods(
        userClass,
        (MethodIntrospector.MetadataLookup<Actor>)
            method -> {
              Actor actor = AnnotatedElementUtils.findMergedAnnotation(method, Actor.class);
              return actor == null || AnnotatedElementUtils.hasAnnotation(method, Bean.class)
                  ? null // none, or a @Bean method: its @Actor is about the bean it makes
                  : actor;
            });
  }

  private static List<Map.Entry<Method, Actor>> sortedMethods(Map<Method, Actor> methods) {
    List<Map.Entry<Method, Actor>> sorted = new ArrayList<>(methods.entrySet());
    sorted.sort(
        Comparator.comparingInt((Map.Entry<Method, Actor> entry) -> orderOf(entry.getKey()))
            .thenComparing(entry -> entry.getKey().getName())
            .thenComparing(entry -> entry.getKey().getDeclaringClass().getName()));
    return List.copyOf(sorted);
  }

  private static int orderOf(Method method) {
    Integer order = OrderUtils.getOrder(method);
    return order == null ? Ordered.LOWEST_PRECEDENCE : order;
  }

  /**
   * Spring's order of a bean: {@link Ordered}, else {@code @Order} on its @Bean method or class. A
   * prototype bean ({@code bean == null}: none exists before its actor starts) has only its
   * {@code @Order}.
   */
  private static int order(
      @Nullable Object bean,
      ConfigurableListableBeanFactory beanFactory,
      String beanName,
      BeanDefinition merged,
      Class<?> userClass) {
    if (bean instanceof Ordered ordered) {
      return ordered.getOrder();
    }
    if (merged instanceof RootBeanDefinition root) {
      Method method = root.getResolvedFactoryMethod();
      if (method != null) {
        Integer order = OrderUtils.getOrder(method);
        if (order != null) {
          return order;
        }
      }
    }
    if (beanFactory.containsBeanDefinition(beanName)
        && beanFactory.getBeanDefinition(beanName) instanceof AnnotatedBeanDefinition annotated) {
      MethodMetadata metadata = annotated.getFactoryMethodMetadata();
      if (metadata != null) {
        MergedAnnotation<Order> order = metadata.getAnnotations().get(Order.class);
        if (order.isPresent()) {
          return order.getInt("value");
        }
      }
    }
    return OrderUtils.getOrder(userClass, Ordered.LOWEST_PRECEDENCE);
  }

  private static String describe(
      String beanName, Class<?> userClass, @Nullable FactoryMethodActor factory) {
    return factory != null
        ? "bean '" + beanName + "' (@Bean method " + factory.method() + ")"
        : "bean '" + beanName + "' (" + userClass.getName() + ")";
  }
}
