package org.mend4j.runtime.demo;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mend4j.runtime.data.EditCase;

/**
 * The story {@code ./mend4j demo} tells, step by step, against a running service: ask a fact, edit
 * it through the agent's admin API, ask again (and a paraphrase, and an unrelated fact), serve both
 * answers side by side through an A/B variant header, disable the edit and get the original answer
 * back, then make more edits one after another and see every one hold at once. Every step states
 * what it expected; the run passes only if all did.
 */
public final class DemoScenario {

  private static final int TOKENS = 3;

  private final ServiceUnderDemo service;
  private final EditCase fact;
  private final List<EditCase> more;
  private final PrintStream out;
  private int failures;

  DemoScenario(ServiceUnderDemo service, EditCase fact, List<EditCase> more, PrintStream out) {
    this.service = service;
    this.fact = fact;
    this.more = List.copyOf(more);
    this.out = out;
  }

  /**
   * Runs every step; returns the number of steps that did not behave.
   *
   * @throws IOException if the service or its admin API does not answer as the step needs
   */
  int run() throws IOException {
    out.printf("%n[1] Ask the service a fact it knows%n");
    check("   ", fact.prompt(), null, fact.groundTruth(), "the model's original answer");

    out.printf("%n[2] Edit it through the agent's admin API (computed in the running service)%n");
    String id = create(fact);

    out.printf("%n[3] Ask again: the service's unchanged code now answers as the edited model%n");
    check("    prompt:    ", fact.prompt(), null, fact.targetNew(), "follows the edit");
    check("    paraphrase:", fact.rephrasePrompt(), null, fact.targetNew(), "generalises");
    check("    unrelated: ", fact.localityPrompt(), null, fact.localityGroundTruth(), "unchanged");

    out.printf("%n[4] A/B: a variant without the edit, chosen per request by a header%n");
    JsonObject variant = new JsonObject();
    variant.add("edits", new JsonArray());
    variant.addProperty("traffic_percent", 0);
    service.admin().expect(200, "PUT", "/mend4j/v1/variants/original", variant.toString());
    check("    X-Mend4j-Variant: original ->", fact.prompt(), "original", fact.groundTruth(), "A");
    check("    (default variant)          ->", fact.prompt(), null, fact.targetNew(), "B");

    out.printf("%n[5] Disable the edit%n");
    service.admin().expect(200, "POST", "/mend4j/v1/edits/" + id + "/disable", null);
    check("    prompt:    ", fact.prompt(), null, fact.groundTruth(), "original answer back");

    out.printf(
        "%n[6] Many edits at once: %d more, one after another, each computed on the model the"
            + " service serves; then the first one enabled again%n",
        more.size());
    for (EditCase c : more) {
      create(c);
    }
    service.admin().expect(200, "POST", "/mend4j/v1/edits/" + id + "/enable", null);
    check("    ", fact.prompt(), null, fact.targetNew(), "holds");
    for (EditCase c : more) {
      check("    ", c.prompt(), null, c.targetNew(), "holds");
    }
    check("    unrelated:", fact.localityPrompt(), null, fact.localityGroundTruth(), "unchanged");
    return failures;
  }

  /** Creates the edit of {@code c} through the admin API; returns its id. */
  private String create(EditCase c) throws IOException {
    JsonObject request = new JsonObject();
    request.addProperty("prompt", c.prompt());
    request.addProperty("target_new", c.targetNew());
    request.addProperty("rephrase_prompt", c.rephrasePrompt());
    long start = System.nanoTime();
    JsonObject created =
        service
            .admin()
            .expect(201, "POST", "/mend4j/v1/edits", request.toString())
            .getAsJsonObject();
    String id = created.get("id").getAsString();
    out.printf(
        Locale.ROOT,
        "    POST /mend4j/v1/edits {\"prompt\": \"%s\", \"target_new\": \"%s\"} -> 201, edit %s (%.0f ms)%n",
        c.prompt(),
        c.targetNew(),
        id,
        (System.nanoTime() - start) / 1e6);
    return id;
  }

  private void check(String label, String prompt, String variant, String expected, String meaning)
      throws IOException {
    Map<String, String> headers = variant == null ? Map.of() : Map.of("X-Mend4j-Variant", variant);
    String completion = service.client().generate(prompt, TOKENS, headers).text();
    String answer = firstWord(completion);
    boolean ok = answer.equals(expected);
    failures += ok ? 0 : 1;
    out.printf(
        "%s \"%s\" -> %s   %s%n",
        label, prompt, answer, ok ? "ok (" + meaning + ")" : "FAILED: expected " + expected);
  }

  /** The first word of a completion, without surrounding punctuation. */
  static String firstWord(String completion) {
    String trimmed = completion.strip();
    int end = 0;
    while (end < trimmed.length() && Character.isLetterOrDigit(trimmed.charAt(end))) {
      end++;
    }
    return trimmed.substring(0, end);
  }
}
