package org.mend4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
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
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * What the agent instruments, and nothing of what it does: the layer classes' {@code
 * forwardInternal(ParameterStore, NDList, boolean, PairList)} (where DJL blocks compute; the public
 * {@code forward} is final in {@code AbstractBaseBlock} and shared by every block) and their
 * constructors, plus {@code AbstractBlock.addChildBlock} for layer paths. Types are matched by
 * exact name; classes are retransformed without changing their format, so runtime attach works on
 * classes already loaded.
 */
public final class LayerInstrumentation {

  private static final String NDLIST = "ai.djl.ndarray.NDList";
  private static final String ABSTRACT_BLOCK = "ai.djl.nn.AbstractBlock";

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
        .type(namedOneOf(layerClasses.toArray(String[]::new)))
        .transform(
            (builder, type, loader, module, domain) ->
                builder
                    .visit(Advice.to(LayerAdvice.Forward.class).on(forwardInternal()))
                    .visit(Advice.to(LayerAdvice.Constructed.class).on(isConstructor())))
        .type(named(ABSTRACT_BLOCK))
        .transform(
            (builder, type, loader, module, domain) ->
                builder.visit(Advice.to(LayerAdvice.ChildAdded.class).on(addChildBlock())))
        .installOn(inst);
  }

  static ElementMatcher<TypeDescription> ignored() {
    return nameStartsWith(HOST_BYTE_BUDDY)
        .or(nameStartsWith("org.mend4j.agent."))
        .or(nameStartsWith("org.mend4j.shaded."))
        .or(nameStartsWith("java."))
        .or(nameStartsWith("jdk."))
        .or(nameStartsWith("sun."))
        .or(isSynthetic());
  }

  static ElementMatcher<MethodDescription> forwardInternal() {
    return named("forwardInternal")
        .and(not(isAbstract()))
        .and(takesArguments(4))
        .and(takesArgument(1, named(NDLIST)))
        .and(returns(named(NDLIST)));
  }

  static ElementMatcher<MethodDescription> addChildBlock() {
    return named("addChildBlock")
        .and(takesArguments(2))
        .and(takesArgument(0, String.class))
        .and(takesArgument(1, named("ai.djl.nn.Block")));
  }
}
