package org.mend4j.tests.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mend4j.runtime.data.CounterFactRecord;
import org.mend4j.runtime.data.EasyEditJson;
import org.mend4j.runtime.edit.EditRequest;

/**
 * The shipped knowledge-world model and its MEND editor ({@code models/world-gpt2}, {@code
 * models/world-gpt2-mend}, or under {@code -Dmend4j.world.models}) and the test-split facts the
 * control-plane tests edit. Record 24, "The capital of Kethia is" Folazan -> Thidris, is edited
 * reliably by the shipped editor (prompt and paraphrase, an unrelated fact unchanged); record 2
 * ("The main office of Gitek is in" Pashivik -> Thiholm) too.
 */
public final class WorldFacts {

  /** The fact every control test edits. */
  public static final int KETHIA = 24;

  /** A second fact the editor gets right. */
  public static final int GITEK = 2;

  private WorldFacts() {}

  /** The directory holding both models. */
  public static Path models() {
    String dir = System.getProperty("mend4j.world.models");
    return dir != null ? Path.of(dir) : TestPaths.repoRoot().resolve("models");
  }

  /** Whether both models are there (the tests that need them are skipped otherwise). */
  public static boolean present() {
    return Files.isRegularFile(model().resolve("model.safetensors"))
        && Files.isRegularFile(editor().resolve("editor.safetensors"));
  }

  /** The world GPT-2 checkpoint. */
  public static Path model() {
    return models().resolve("world-gpt2");
  }

  /** The same checkpoint traced to TorchScript ({@code scripts/trace-torchscript.py}). */
  public static Path tracedModel() {
    return models().resolve("world-gpt2-torchscript");
  }

  /** Its MEND editor. */
  public static Path editor() {
    return models().resolve("world-gpt2-mend");
  }

  /** A record of the test split. */
  public static CounterFactRecord fact(int index) {
    List<CounterFactRecord> records =
        EasyEditJson.readCounterFact(TestPaths.repoRoot().resolve("data/world/edits-test.json"));
    return records.get(index);
  }

  /** The edit request of a record, as the admin API takes it. */
  public static EditRequest request(CounterFactRecord r) {
    return new EditRequest(r.prompt(), r.targetNew(), r.rephrasePrompt());
  }

  /** {@code {"prompt", "target_new", "rephrase_prompt"}} of a record. */
  public static String json(CounterFactRecord r) {
    com.google.gson.JsonObject o = new com.google.gson.JsonObject();
    o.addProperty("prompt", r.prompt());
    o.addProperty("target_new", r.targetNew());
    o.addProperty("rephrase_prompt", r.rephrasePrompt());
    return o.toString();
  }

  /** The first {@code n} records of the test split that each edit a fact no earlier one edits. */
  public static List<CounterFactRecord> oneRecordPerFact(int n) {
    List<CounterFactRecord> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (CounterFactRecord r :
        EasyEditJson.readCounterFact(TestPaths.repoRoot().resolve("data/world/edits-test.json"))) {
      if (out.size() < n && seen.add(r.subject() + "\n" + r.rephrasePrompt())) {
        out.add(r);
      }
    }
    return out;
  }

  /** The first {@code n} records of the test split whose subjects no earlier one has. */
  public static List<CounterFactRecord> oneRecordPerSubject(int n) {
    Set<String> seen = new HashSet<>();
    return EasyEditJson.readCounterFact(TestPaths.repoRoot().resolve("data/world/edits-test.json"))
        .stream()
        .filter(r -> seen.add(r.subject()))
        .limit(n)
        .toList();
  }
}
