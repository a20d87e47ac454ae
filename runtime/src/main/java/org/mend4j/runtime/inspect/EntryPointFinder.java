package org.mend4j.runtime.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The HTTP entry points of a service and whether the agent's request scope (the variant header, the
 * traffic split) reaches them: it opens one around every {@code com.sun.net.httpserver.HttpHandler}
 * class's {@code handle(HttpExchange)} and around {@code jakarta.servlet.http.HttpServlet.service}
 * (so Spring MVC controllers on Spring 6 / Boot 3 and later are covered too). Lambda handlers and
 * {@code javax.servlet} servlets are listed as well: requests through them alone get the default
 * variant.
 */
final class EntryPointFinder {

  private static final String HANDLER = "com/sun/net/httpserver/HttpHandler";
  private static final String HANDLE = "(Lcom/sun/net/httpserver/HttpExchange;)V";
  private static final String JAKARTA_SERVLET = "jakarta/servlet/http/HttpServlet";
  private static final String JAVAX_SERVLET = "javax/servlet/Servlet";
  private static final Set<String> CONTROLLERS =
      Set.of(
          "Lorg/springframework/web/bind/annotation/RestController;",
          "Lorg/springframework/stereotype/Controller;");
  private static final String MAPPING = "Lorg/springframework/web/bind/annotation/";

  private final Hierarchy hierarchy;

  EntryPointFinder(Hierarchy hierarchy) {
    this.hierarchy = hierarchy;
  }

  List<Finding> find(ClassFacts c) {
    List<Finding> out = new ArrayList<>();
    boolean declaresHandle =
        c.methods().stream()
            .anyMatch(m -> m.name().equals("handle") && m.descriptor().equals(HANDLE));
    if (declaresHandle && hierarchy.isA(c.name(), HANDLER)) {
      out.add(
          new Finding(
              Finding.Kind.ENTRY_POINT,
              c.binaryName(),
              c.source(),
              "com.sun.net.httpserver.HttpHandler: the agent opens a request scope around handle()",
              null));
    }
    for (ClassFacts.Method m : c.methods()) {
      for (ClassFacts.Insn i : m.code()) {
        if (i.kind() == ClassFacts.Insn.Kind.LAMBDA && HANDLER.equals(i.owner())) {
          out.add(
              new Finding(
                  Finding.Kind.OTHER_ENTRY_POINT,
                  c.binaryName(),
                  c.source() + " (" + m.name() + ", line " + i.line() + ")",
                  "an HttpHandler written as a lambda or method reference: no request scope of its own"
                      + " (one opens where it calls an HttpHandler class)",
                  null));
        }
      }
    }
    if (hierarchy.isA(c.name(), JAKARTA_SERVLET)) {
      out.add(
          new Finding(
              Finding.Kind.ENTRY_POINT,
              c.binaryName(),
              c.source(),
              "a jakarta.servlet HttpServlet: the agent opens a request scope around service()",
              null));
    } else if (hierarchy.isA(c.name(), JAVAX_SERVLET)) {
      out.add(
          new Finding(
              Finding.Kind.OTHER_ENTRY_POINT,
              c.binaryName(),
              c.source(),
              "a javax.servlet servlet: the agent opens no request scope here (default variant only)",
              null));
    }
    if (c.annotations().stream().anyMatch(CONTROLLERS::contains)) {
      List<String> mapped =
          c.methods().stream()
              .filter(
                  m ->
                      m.annotations().stream()
                          .anyMatch(a -> a.startsWith(MAPPING) && a.endsWith("Mapping;")))
              .map(ClassFacts.Method::name)
              .toList();
      out.add(
          new Finding(
              Finding.Kind.OTHER_ENTRY_POINT,
              c.binaryName(),
              c.source(),
              "a Spring controller"
                  + (mapped.isEmpty() ? "" : " (" + String.join(", ", mapped) + ")")
                  + ": reached through Spring MVC's DispatcherServlet, where the agent opens the"
                  + " request scope on jakarta.servlet (Spring 6, Boot 3 and later); on"
                  + " javax.servlet, default variant only",
              null));
    }
    return out;
  }
}
