package org.mend4j.runtime.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.cli.WorldDataCommand;
import org.mend4j.runtime.data.CounterFactRecord;
import org.mend4j.runtime.data.EasyEditJson;
import org.mend4j.runtime.data.EditCase;
import org.mend4j.runtime.data.FactRecord;
import org.mend4j.runtime.gpt2.tokenizer.Tokenizer;
import picocli.CommandLine;

class WorldDataTest {

  /** The committed {@code data/world/}, found from the module or the repository root. */
  private static Path committed() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("data").resolve("world");
      if (Files.isRegularFile(candidate.resolve("facts.json"))) {
        return candidate;
      }
    }
    throw new AssertionError("data/world/ not found above " + Path.of("").toAbsolutePath());
  }

  @Test
  void committedFilesAreExactlyWhatTheGeneratorWrites(@TempDir Path dir) throws Exception {
    int exit = new CommandLine(new WorldDataCommand()).execute("--out", dir.toString());
    assertThat(exit).isZero();
    List<Path> generated;
    try (Stream<Path> files = Files.walk(dir)) {
      generated = files.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
    }
    assertThat(generated).hasSize(9);
    Path committed = committed();
    for (Path rel : generated) {
      assertThat(committed.resolve(rel))
          .as("data/world/%s is stale: regenerate it (see data/world/README.md)", rel)
          .hasSameBinaryContentAs(dir.resolve(rel));
    }
  }

  @Test
  void sameSeedSameBytesOtherSeedOtherBytes(@TempDir Path dir) throws IOException {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Path c = dir.resolve("c");
    WorldData.write(World.generate(11), a);
    WorldData.write(World.generate(11), b);
    WorldData.write(World.generate(12), c);
    for (String f : List.of("facts.json", "edits-train.json", "edits-test.json", "corpus.txt")) {
      assertThat(a.resolve(f)).hasSameBinaryContentAs(b.resolve(f));
      assertThat(Files.mismatch(a.resolve(f), c.resolve(f))).as(f).isNotEqualTo(-1L);
    }
    assertThat(b.resolve("tokenizer/merges.txt"))
        .hasSameBinaryContentAs(a.resolve("tokenizer/merges.txt"));
  }

  @Test
  void committedFilesLoadThroughTheEasyEditReaders() throws IOException {
    Path dir = committed();
    List<CounterFactRecord> train = EasyEditJson.readCounterFact(dir.resolve("edits-train.json"));
    List<CounterFactRecord> val = EasyEditJson.readCounterFact(dir.resolve("edits-val.json"));
    List<EditCase> test = EasyEditJson.readEditCases(dir.resolve("edits-test.json"));
    assertThat(train).hasSizeGreaterThanOrEqualTo(2000);
    assertThat(val).hasSizeBetween(200, 300);
    assertThat(test).hasSizeGreaterThanOrEqualTo(500);
    assertThat(test.get(0).targetNew()).isNotEqualTo(test.get(0).groundTruth());

    List<FactRecord> facts = FactRecord.read(dir.resolve("facts.json"));
    assertThat(facts).hasSize(1260);
    assertThat(facts)
        .allSatisfy(f -> assertThat(f.prompts()).hasSize(4).doesNotContain(f.rephrasePrompt()));
    Tokenizer tokenizer = Tokenizer.forModel(dir.resolve("tokenizer"));
    for (FactRecord f : facts) {
      assertThat(tokenizer.encode(" " + f.object())).as(f.object()).hasSize(1);
    }
  }
}
