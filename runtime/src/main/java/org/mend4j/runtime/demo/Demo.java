package org.mend4j.runtime.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.mend4j.runtime.data.EditCase;

/** Runs the demo: starts the service with the agent, tells the story, stops everything. */
public final class Demo {

  private final Path home;
  private final Path served;
  private final Path model;
  private final Path editor;
  private final Path work;

  /**
   * A demo of the repository at {@code home}: demo-app serving {@code served} (the checkpoint
   * {@code model}, or its TorchScript trace), edited with {@code model} and {@code editor}, with
   * its logs and edits under {@code work}.
   */
  public Demo(Path home, Path served, Path model, Path editor, Path work) {
    this.home = home;
    this.served = served;
    this.model = model;
    this.editor = editor;
    this.work = work;
  }

  /**
   * Runs the scenario on {@code fact}, then {@code more} edits in a row; returns the exit status
   * (0: every step behaved).
   *
   * @throws IOException if the service does not start, or it or the agent stops answering
   */
  public int run(EditCase fact, List<EditCase> more, PrintStream out) throws IOException {
    out.println("mend4j demo: demo-app, an ordinary DJL GPT-2 service, with the mend4j agent");
    out.println(
        "  serving "
            + served
            + (served.equals(model) ? "" : " (edits computed on " + model + ")")
            + ", editor "
            + editor
            + ", logs in "
            + work);
    long start = System.nanoTime();
    int failures;
    try (ServiceUnderDemo service = ServiceUnderDemo.start(home, served, model, editor, work)) {
      out.printf(
          Locale.ROOT,
          "  demo-app serving on %s, agent admin API on %s (%.1f s)%n",
          service.client().base(),
          service.admin().base(),
          (System.nanoTime() - start) / 1e9);
      failures = new DemoScenario(service, fact, more, out).run();
    }
    out.println();
    out.println("  demo-app stopped.");
    out.println(
        failures == 0
            ? "demo: every step behaved."
            : "demo: " + failures + " step(s) did not behave (see above).");
    return failures == 0 ? 0 : 1;
  }
}
