package org.mend4j.runtime.inspect;

import java.util.List;

/**
 * What one class file says, reduced to what the inspection reads: its place in the type hierarchy,
 * its annotations and, per method, the instructions that name other classes or constants, in order.
 * Names are internal ({@code ai/djl/nn/core/Linear}).
 *
 * @param name the class
 * @param superName its superclass, or null for {@code java/lang/Object}
 * @param interfaces the interfaces it implements directly
 * @param annotations descriptors of its annotations, e.g. {@code Lorg/x/RestController;}
 * @param source where it was read, e.g. {@code app.jar!/BOOT-INF/classes/a/B.class}
 * @param methods its methods
 */
record ClassFacts(
    String name,
    String superName,
    List<String> interfaces,
    List<String> annotations,
    String source,
    List<Method> methods) {

  /** The class's binary name, as the agent's {@code layers} setting takes it: {@code a.b.C$D}. */
  String binaryName() {
    return name.replace('/', '.');
  }

  /**
   * One method.
   *
   * @param name its name
   * @param descriptor its descriptor
   * @param annotations descriptors of its annotations
   * @param code the instructions that name a class, a member or a constant, in order
   */
  record Method(String name, String descriptor, List<String> annotations, List<Insn> code) {

    /** Whether it calls {@code owner.name} (any descriptor). */
    boolean calls(String owner, String methodName) {
      return code.stream().anyMatch(i -> i.isCall(owner, methodName));
    }

    /** The first source line, or -1. */
    int line() {
      return code.stream().mapToInt(Insn::line).filter(l -> l > 0).min().orElse(-1);
    }
  }

  /**
   * An instruction that names something.
   *
   * @param kind what it is
   * @param owner the class it names (a call's or field's owner, a type), or null for a constant
   * @param name the member's name, or null
   * @param descriptor the member's descriptor, or null
   * @param constant a constant's value (String, Long, Integer, ...), or null
   * @param line the source line, or -1
   */
  record Insn(Kind kind, String owner, String name, String descriptor, Object constant, int line) {

    /** Instruction kinds. */
    enum Kind {
      CALL,
      FIELD,
      TYPE,
      CONSTANT,
      LAMBDA
    }

    boolean isCall(String callOwner, String callName) {
      return kind == Kind.CALL && callOwner.equals(owner) && callName.equals(name);
    }
  }
}
