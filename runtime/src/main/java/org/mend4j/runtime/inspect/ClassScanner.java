package org.mend4j.runtime.inspect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Reads one class file into {@link ClassFacts} with ASM's visitor API: parsing only, the class is
 * never defined, loaded or run, so inspecting a service cannot execute any of its code.
 */
final class ClassScanner extends ClassVisitor {

  private final String source;
  private String name;
  private String superName;
  private List<String> interfaces;
  private final List<String> annotations = new ArrayList<>();
  private final List<ClassFacts.Method> methods = new ArrayList<>();

  private ClassScanner(String source) {
    super(Opcodes.ASM9);
    this.source = source;
  }

  /**
   * The facts of a class file.
   *
   * @throws IllegalArgumentException naming {@code source} if the bytes are not a class file ASM
   *     can read
   */
  static ClassFacts scan(byte[] classFile, String source) {
    ClassScanner scanner = new ClassScanner(source);
    try {
      new ClassReader(classFile).accept(scanner, ClassReader.SKIP_FRAMES);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(source + ": not a readable class file (" + e + ")", e);
    }
    return new ClassFacts(
        scanner.name,
        scanner.superName,
        scanner.interfaces,
        List.copyOf(scanner.annotations),
        source,
        List.copyOf(scanner.methods));
  }

  @Override
  public void visit(
      int version, int access, String name, String signature, String superName, String[] ifs) {
    this.name = name;
    this.superName = superName;
    this.interfaces = ifs == null ? List.of() : Arrays.asList(ifs);
  }

  @Override
  public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
    annotations.add(descriptor);
    return null;
  }

  @Override
  public MethodVisitor visitMethod(
      int access, String methodName, String descriptor, String signature, String[] exceptions) {
    return new Code(methodName, descriptor);
  }

  /** Records one method's naming instructions, with the current source line. */
  private final class Code extends MethodVisitor {
    private final String methodName;
    private final String descriptor;
    private final List<String> methodAnnotations = new ArrayList<>();
    private final List<ClassFacts.Insn> code = new ArrayList<>();
    private int line = -1;

    Code(String methodName, String descriptor) {
      super(Opcodes.ASM9);
      this.methodName = methodName;
      this.descriptor = descriptor;
    }

    private void add(
        ClassFacts.Insn.Kind kind, String owner, String member, String desc, Object c) {
      code.add(new ClassFacts.Insn(kind, owner, member, desc, c, line));
    }

    @Override
    public AnnotationVisitor visitAnnotation(String desc, boolean visible) {
      methodAnnotations.add(desc);
      return null;
    }

    @Override
    public void visitLineNumber(int number, Label start) {
      line = number;
    }

    @Override
    public void visitMethodInsn(int op, String owner, String member, String desc, boolean itf) {
      add(ClassFacts.Insn.Kind.CALL, owner, member, desc, null);
    }

    @Override
    public void visitFieldInsn(int op, String owner, String member, String desc) {
      add(ClassFacts.Insn.Kind.FIELD, owner, member, desc, null);
    }

    @Override
    public void visitTypeInsn(int op, String type) {
      add(ClassFacts.Insn.Kind.TYPE, type, null, null, null);
    }

    @Override
    public void visitInvokeDynamicInsn(String member, String desc, Handle bsm, Object... args) {
      add(
          ClassFacts.Insn.Kind.LAMBDA,
          Type.getReturnType(desc).getInternalName(),
          member,
          desc,
          null);
    }

    @Override
    public void visitLdcInsn(Object value) {
      add(
          ClassFacts.Insn.Kind.CONSTANT,
          null,
          null,
          null,
          value instanceof Type t ? t.getInternalName() : value);
    }

    @Override
    public void visitIntInsn(int op, int operand) {
      if (op == Opcodes.BIPUSH || op == Opcodes.SIPUSH) {
        add(ClassFacts.Insn.Kind.CONSTANT, null, null, null, operand);
      }
    }

    @Override
    public void visitInsn(int op) {
      if (op >= Opcodes.ICONST_M1 && op <= Opcodes.ICONST_5) {
        add(ClassFacts.Insn.Kind.CONSTANT, null, null, null, op - Opcodes.ICONST_0);
      } else if (op == Opcodes.LCONST_0 || op == Opcodes.LCONST_1) {
        add(ClassFacts.Insn.Kind.CONSTANT, null, null, null, (long) (op - Opcodes.LCONST_0));
      }
    }

    @Override
    public void visitEnd() {
      methods.add(
          new ClassFacts.Method(
              methodName, descriptor, List.copyOf(methodAnnotations), List.copyOf(code)));
    }
  }
}
