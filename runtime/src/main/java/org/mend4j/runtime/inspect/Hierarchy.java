package org.mend4j.runtime.inspect;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The type hierarchy of the classes read, for "is this a DJL block, a servlet, an HTTP handler". A
 * service's jar need not contain DJL or the servlet API (the platform brings them), so the
 * supertypes of the library classes a host extends are known here too.
 */
final class Hierarchy {

  /** Supertypes of library classes hosts extend, for when the library is not among the inputs. */
  private static final Map<String, List<String>> KNOWN =
      Map.ofEntries(
          Map.entry("ai/djl/nn/core/Linear", List.of("ai/djl/nn/AbstractBlock")),
          Map.entry("ai/djl/nn/SequentialBlock", List.of("ai/djl/nn/AbstractBlock")),
          Map.entry("ai/djl/nn/ParallelBlock", List.of("ai/djl/nn/AbstractBlock")),
          Map.entry("ai/djl/nn/LambdaBlock", List.of("ai/djl/nn/AbstractBlock")),
          Map.entry("ai/djl/nn/AbstractBlock", List.of("ai/djl/nn/AbstractBaseBlock")),
          Map.entry("ai/djl/nn/AbstractSymbolBlock", List.of("ai/djl/nn/AbstractBaseBlock")),
          Map.entry(
              "ai/djl/pytorch/engine/PtSymbolBlock", List.of("ai/djl/nn/AbstractSymbolBlock")),
          Map.entry("ai/djl/nn/AbstractBaseBlock", List.of("ai/djl/nn/Block")),
          Map.entry("javax/servlet/http/HttpServlet", List.of("javax/servlet/GenericServlet")),
          Map.entry("javax/servlet/GenericServlet", List.of("javax/servlet/Servlet")),
          Map.entry("jakarta/servlet/http/HttpServlet", List.of("jakarta/servlet/GenericServlet")),
          Map.entry("jakarta/servlet/GenericServlet", List.of("jakarta/servlet/Servlet")));

  private final Map<String, ClassFacts> classes = new LinkedHashMap<>();

  /** Indexes classes; the first of two with one name wins (as on a class path). */
  Hierarchy(List<ClassFacts> all) {
    for (ClassFacts c : all) {
      classes.putIfAbsent(c.name(), c);
    }
  }

  /** Every class read, by name. */
  Map<String, ClassFacts> classes() {
    return classes;
  }

  /** Whether {@code type} is {@code ancestor} or extends or implements it, transitively. */
  boolean isA(String type, String ancestor) {
    Deque<String> todo = new ArrayDeque<>(List.of(type));
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      String t = todo.pop();
      if (t.equals(ancestor)) {
        return true;
      }
      if (seen.add(t)) {
        ClassFacts c = classes.get(t);
        if (c != null) {
          if (c.superName() != null) {
            todo.push(c.superName());
          }
          c.interfaces().forEach(todo::push);
        } else {
          KNOWN.getOrDefault(t, List.of()).forEach(todo::push);
        }
      }
    }
    return false;
  }
}
