package org.mend4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.mend4j.agent.entry.HostCalls;

/**
 * What the agent instruments, and nothing of what it does: the layer classes' {@code
 * forwardInternal(ParameterStore, NDList, boolean, PairList)} (where DJL blocks compute; the public
 * {@code forward} is final in {@code AbstractBaseBlock} and shared by every block) and their
 * constructors, plus {@code AbstractBlock.addChildBlock} for layer paths, and the host's request
 * boundary: every {@code com.sun.net.httpserver.HttpHandler} implementation's {@code
 * handle(HttpExchange)} (the only hierarchy match; a class must declare such a method first, which
 * is cheap to check) and the servlet API's {@code HttpServlet.service}. Every class instrumented is
 * in a class loader that sees {@link HostCalls}, whatever loader that is: DJL may come from a
 * Spring Boot launcher or a plugin's loader as well as from the system class path. Other types are
 * matched by exact name; classes are retransformed without changing their format, so runtime attach
 * works on classes already loaded.
 *
 * <p>TorchScript modules ({@code PtSymbolBlock}) compute inside libtorch, so the agent changes
 * their parameters in place ({@link ScriptModuleAdvice}): their {@code forwardInternal} gets entry
 * and exit advice, and DJL's {@code JniUtils.loadModule} loads them as tensors that can be changed.
 *
 * <p>DJL's {@code Linear} gets entry advice too ({@link LayerAdvice.LinearForward}): the merged
 * fast path may compute an edited layer itself and skip the method's body. Configured layer classes
 * get exit advice only (the agent does not know how they compute).
 *
 * <p>Handlers written as lambdas are hidden classes Byte Buddy leaves alone; a lambda that wraps a
 * handler class (a router, a path filter) is covered through the class it calls.
 */
public final class LayerInstrumentation {

  private static final String NDLIST = "ai.djl.ndarray.NDList";
  private static final String LINEAR = "ai.djl.nn.core.Linear";
  private static final String ABSTRACT_BLOCK = "ai.djl.nn.AbstractBlock";
  private static final String SYMBOL_BLOCK = "ai.djl.pytorch.engine.PtSymbolBlock";
  private static final String PT_JNI_UTILS = "ai.djl.pytorch.jni.JniUtils";
  private static final String HTTP_HANDLER = "com.sun.net.httpserver.HttpHandler";
  private static final String HTTP_EXCHANGE = "com.sun.net.httpserver.HttpExchange";
  private static final String HTTP_SERVLET = "jakarta.servlet.http.HttpServlet";

  /**
   * Packages of libraries whose classes are not the host's own request handlers (their own servers,
   * if any, are reached at the servlet boundary or not at all).
   */
  private static final String[] LIBRARIES = {
    "org.springframework.", "org.apache.", "jakarta.", "javax.", "com.sun.", "ch.qos.",
    "org.slf4j.", "com.fasterxml.", "io.micrometer.", "org.yaml.", "com.google.", "io.netty.",
    "kotlin.", "scala.", "org.hibernate.", "org.jboss.", "org.eclipse.", "org.glassfish.",
    "org.aspectj.", "org.postgresql.", "com.zaxxer.", "org.junit.", "org.assertj."
  };

  // Built at run time so that relocation (which rewrites "net.bytebuddy" literals) leaves it be:
  // this is the host's own Byte Buddy, if it has one.
  private static final String HOST_BYTE_BUDDY = String.join(".", "net", "bytebuddy", "");

  private LayerInstrumentation() {}

  /**
   * Installs the instrumentation.
   *
   * @param inst the JVM's instrumentation
   * @param layerClasses binary names of the layer classes (DJL's {@code Linear} and configured
   *     ones)
   */
  public static void install(Instrumentation inst, List<String> layerClasses) {
    new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(new TransformationLogger())
        .ignore(ignored())
        .type(namedOneOf(layerClasses.toArray(String[]::new)), SeesAgent::test)
        .transform(
            (builder, type, loader, module, domain) ->
                builder
                    .visit(
                        Advice.to(
                                type.getName().equals(LINEAR)
                                    ? LayerAdvice.LinearForward.class
                                    : LayerAdvice.Forward.class)
                            .on(forwardInternal()))
                    .visit(Advice.to(LayerAdvice.Constructed.class).on(isConstructor())))
        .type(named(ABSTRACT_BLOCK), SeesAgent::test)
        .transform(
            (builder, type, loader, module, domain) ->
                builder.visit(Advice.to(LayerAdvice.ChildAdded.class).on(addChildBlock())))
        .type(named(SYMBOL_BLOCK), SeesAgent::test)
        .transform(
            (builder, type, loader, module, domain) ->
                builder.visit(Advice.to(ScriptModuleAdvice.Forward.class).on(forwardInternal())))
        .type(named(PT_JNI_UTILS), SeesAgent::test)
        .transform(
            (builder, type, loader, module, domain) ->
                builder.visit(Advice.to(ScriptModuleAdvice.Load.class).on(loadModuleFromPath())))
        .type(httpHandler(), SeesAgent::test)
        .transform(
            (builder, type, loader, module, domain) ->
                builder.visit(Advice.to(HttpHandlerAdvice.class).on(handle())))
        .type(named(HTTP_SERVLET), SeesAgent::test)
        .transform(
            (builder, type, loader, module, domain) ->
                builder.visit(Advice.to(ServletAdvice.class).on(servletService())))
        .installOn(inst);
  }

  /**
   * Concrete classes declaring {@code handle(HttpExchange)} that implement {@code HttpHandler},
   * outside DJL and the {@link #LIBRARIES}. Names are checked first: any other matcher makes Byte
   * Buddy parse the class file, which for every class a Spring Boot service loads cost it seconds
   * of start-up.
   */
  static ElementMatcher<TypeDescription> httpHandler() {
    ElementMatcher.Junction<TypeDescription> library = nameStartsWith("ai.djl.");
    for (String prefix : LIBRARIES) {
      library = library.or(nameStartsWith(prefix));
    }
    return not(library)
        .and(declaresMethod(handle()))
        .and(not(isInterface()))
        .and(not(isSynthetic()))
        .and(hasSuperType(named(HTTP_HANDLER)));
  }

  static ElementMatcher<MethodDescription> handle() {
    return named("handle")
        .and(not(isAbstract()))
        .and(takesArguments(1))
        .and(takesArgument(0, named(HTTP_EXCHANGE)));
  }

  /** {@code HttpServlet.service(ServletRequest, ServletResponse)}, the public entry. */
  static ElementMatcher<MethodDescription> servletService() {
    return named("service")
        .and(takesArguments(2))
        .and(takesArgument(0, named("jakarta.servlet.ServletRequest")))
        .and(takesArgument(1, named("jakarta.servlet.ServletResponse")));
  }

  /**
   * Whether a class loader sees {@link HostCalls}: inlined advice calls it. Every loader does once
   * the agent has put it into the bootstrap class loader (as it does at start); if it could not, a
   * class whose loader does not reach the system class path (an isolated plugin loader) is left
   * alone. A resource lookup, not a class load: this runs while a class is being loaded (and
   * resources of a jar appended to the bootstrap search at run time are not found that way).
   */
  static final class SeesAgent {
    private static final boolean IN_BOOTSTRAP = HostCalls.class.getClassLoader() == null;
    private static final String HOOK = HostCalls.class.getName().replace('.', '/') + ".class";
    private static final Map<ClassLoader, Boolean> CACHE = new WeakHashMap<>();

    private SeesAgent() {}

    static boolean test(ClassLoader loader) {
      if (loader == null) {
        return false;
      }
      if (IN_BOOTSTRAP) {
        return true;
      }
      synchronized (CACHE) {
        return CACHE.computeIfAbsent(loader, l -> l.getResource(HOOK) != null);
      }
    }
  }

  static ElementMatcher<TypeDescription> ignored() {
    return nameStartsWith(HOST_BYTE_BUDDY)
        .or(nameStartsWith("org.mend4j.agent."))
        .or(nameStartsWith("org.mend4j.shaded."))
        .or(nameStartsWith("java."))
        .or(nameStartsWith("jdk."))
        .or(nameStartsWith("sun."));
  }

  static ElementMatcher<MethodDescription> forwardInternal() {
    return named("forwardInternal")
        .and(not(isAbstract()))
        .and(takesArguments(4))
        .and(takesArgument(1, named(NDLIST)))
        .and(returns(named(NDLIST)));
  }

  /** {@code JniUtils.loadModule(PtNDManager, Path, boolean, String[], String[], boolean)}. */
  static ElementMatcher<MethodDescription> loadModuleFromPath() {
    return named("loadModule")
        .and(takesArguments(6))
        .and(takesArgument(1, named("java.nio.file.Path")))
        .and(takesArgument(5, boolean.class));
  }

  static ElementMatcher<MethodDescription> addChildBlock() {
    return named("addChildBlock")
        .and(takesArguments(2))
        .and(takesArgument(0, String.class))
        .and(takesArgument(1, named("ai.djl.nn.Block")));
  }
}
