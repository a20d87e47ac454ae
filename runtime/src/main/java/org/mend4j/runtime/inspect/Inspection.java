package org.mend4j.runtime.inspect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@link Inspector} found in a service, and the agent arguments that follow from it.
 *
 * @param classesRead class files read
 * @param libraryClasses of those, classes of known libraries (DJL itself, JSON, logging, HTTP
 *     servers), indexed for the type hierarchy but not reported
 * @param libraries the libraries' package prefixes seen, e.g. {@code ai.djl}
 * @param unreadable class files ASM could not parse (skipped)
 * @param findings what was found in the service's own classes, in report order
 */
public record Inspection(
    int classesRead,
    int libraryClasses,
    Set<String> libraries,
    List<String> unreadable,
    List<Finding> findings) {

  /** Copies the collections. */
  public Inspection {
    libraries = Collections.unmodifiableSet(new TreeSet<>(libraries));
    unreadable = List.copyOf(unreadable);
    findings = List.copyOf(findings);
  }

  /** The findings of one kind. */
  public List<Finding> of(Finding.Kind kind) {
    return findings.stream().filter(f -> f.kind() == kind).toList();
  }

  /** Whether any model code was found: a block with weights or a TorchScript loading site. */
  public boolean hasModelCode() {
    return findings.stream()
        .anyMatch(
            f ->
                f.kind() != Finding.Kind.ENTRY_POINT && f.kind() != Finding.Kind.OTHER_ENTRY_POINT);
  }

  /** The {@code layers} entries the agent needs, in order (empty: none). */
  public List<String> layerSpecs() {
    return findings.stream().map(Finding::layerSpec).filter(s -> s != null).distinct().toList();
  }

  /**
   * The agent arguments: {@code edits=EDITS} and, when needed, {@code layers=...}; null when there
   * is nothing to instrument.
   *
   * @param edits the edits directory to name (a placeholder when the user gave none)
   */
  public String agentArguments(String edits) {
    if (of(Finding.Kind.PROJECTION).isEmpty() && of(Finding.Kind.TORCHSCRIPT).isEmpty()) {
      return null;
    }
    List<String> args = new ArrayList<>(List.of("edits=" + edits));
    if (!layerSpecs().isEmpty()) {
      args.add("layers=" + String.join(";", layerSpecs()));
    }
    return String.join(",", args);
  }
}
