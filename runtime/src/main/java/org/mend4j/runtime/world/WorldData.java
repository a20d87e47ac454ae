package org.mend4j.runtime.world;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mend4j.runtime.data.EasyEditJson;
import org.mend4j.runtime.data.FactRecord;
import org.mend4j.runtime.gpt2.tokenizer.ByteLevelBpe;
import org.mend4j.runtime.gpt2.tokenizer.TokenizerFiles;

/**
 * Writes the world's data directory ({@code data/world/}): the facts, the edit datasets, the
 * world's description, the pretraining corpus and the tokenizer. Same world, same bytes.
 *
 * <pre>
 * facts.json                       every fact with its pretraining prompts and held-out prompt
 * edits-train.json, -val, -test    EasyEdit CounterFact records, split by subject
 * world.json                       seed, entities by type, relations with their templates
 * corpus.txt                       the pretraining sentences, one per line
 * tokenizer/                       vocab.json, merges.txt, tokenizer.json (GPT-2 byte-level BPE)
 * </pre>
 */
public final class WorldData {

  /** Upper bound on BPE merges; the world needs about 1,400. */
  public static final int MAX_MERGES = 8_000;

  private static final Gson GSON =
      new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  private WorldData() {}

  /** The world's tokenizer: BPE trained on the corpus until every entity name is one token. */
  public static ByteLevelBpe tokenizer(World world) {
    return new BpeTrainer(MAX_MERGES).train(world.corpusText(), world.tokenWords());
  }

  /** The facts as {@code facts.json} records, with the split of their subject. */
  public static List<FactRecord> factRecords(World world, EditDatasets datasets) {
    List<FactRecord> out = new ArrayList<>();
    for (Fact f : world.facts()) {
      out.add(
          new FactRecord(
              f.subject().name(),
              f.subject().type().id(),
              f.relation().id(),
              f.object().name(),
              f.object().type().id(),
              datasets.splitOf(f.subject()).id(),
              f.pretrainingPrompts(),
              f.heldOutPrompt()));
    }
    return out;
  }

  /** Writes every file into {@code dir} (created if needed); returns the files written. */
  public static List<Path> write(World world, Path dir) throws IOException {
    Files.createDirectories(dir);
    EditDatasets datasets = EditDatasets.build(world);
    List<Path> written = new ArrayList<>();
    Path facts = dir.resolve("facts.json");
    FactRecord.write(factRecords(world, datasets), facts);
    written.add(facts);
    for (EditDatasets.Split split : EditDatasets.Split.values()) {
      Path file = dir.resolve("edits-" + split.id() + ".json");
      EasyEditJson.writeCounterFact(datasets.records(split), file);
      written.add(file);
    }
    Path description = dir.resolve("world.json");
    Files.writeString(description, GSON.toJson(describe(world)) + "\n", StandardCharsets.UTF_8);
    written.add(description);
    Path corpus = dir.resolve("corpus.txt");
    Files.writeString(corpus, String.join("\n", world.corpusText()) + "\n", StandardCharsets.UTF_8);
    written.add(corpus);
    Path tokenizerDir = dir.resolve("tokenizer");
    TokenizerFiles.write(tokenizer(world), tokenizerDir);
    for (String name : List.of("vocab.json", "merges.txt", "tokenizer.json")) {
      written.add(tokenizerDir.resolve(name));
    }
    return written;
  }

  private static JsonObject describe(World world) {
    JsonObject root = new JsonObject();
    root.addProperty("seed", world.seed());
    root.addProperty("facts", world.facts().size());
    root.addProperty("corpus_sentences", world.corpus().size());
    JsonObject entities = new JsonObject();
    for (EntityType type : EntityType.values()) {
      JsonArray names = new JsonArray();
      world.entities(type).forEach(e -> names.add(e.name()));
      entities.add(type.id(), names);
    }
    root.add("entities", entities);
    JsonArray relations = new JsonArray();
    for (Relation r : Relation.values()) {
      JsonObject o = new JsonObject();
      o.addProperty("id", r.id());
      o.addProperty("subject_type", r.subjectType().id());
      o.addProperty("object_type", r.objectType().id());
      JsonArray templates = new JsonArray();
      r.templates().forEach(templates::add);
      o.add("templates", templates);
      relations.add(o);
    }
    root.add("relations", relations);
    return root;
  }
}
