package org.mend4j.tests.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.data.CounterFactRecord;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditFile;
import org.mend4j.runtime.service.AdminClient;
import org.mend4j.tests.support.ControlledService;
import org.mend4j.tests.support.ReferenceModel;
import org.mend4j.tests.support.WorldFacts;

/**
 * With {@code edits=DIR}, a restart restores exactly the same edits (in order), enabled flags and
 * variants, and answers as before; a corrupted file and an edit for another model dropped into the
 * directory are skipped with messages naming them, and the others load.
 */
@EnabledIf("org.mend4j.tests.support.WorldFacts#present")
class ControlPersistenceTest {

  private static final int TOKENS = 3;

  @TempDir Path tmp;

  @Test
  void aRestartRestoresEditsFlagsAndVariants() throws IOException {
    CounterFactRecord kethia = WorldFacts.fact(WorldFacts.KETHIA);
    CounterFactRecord gitek = WorldFacts.fact(WorldFacts.GITEK);
    Path edits = tmp.resolve("edits");
    String editsBefore;
    String variantsBefore;
    List<String> answersBefore;
    Edit foreign;
    try (ReferenceModel reference = ReferenceModel.load(WorldFacts.model())) {
      foreign = reference.foreignEdit(5, 0.05f, "h.2.mlp.c_proj.weight");
      Edit imported = reference.mendEdit(WorldFacts.editor(), WorldFacts.request(gitek));
      try (ControlledService first = ControlledService.start("persist-1", edits, Map.of())) {
        AdminClient admin = first.admin();
        first.answer(kethia.localityPrompt(), TOKENS, Map.of());
        String a = id(admin.expect(201, "POST", "/mend4j/v1/edits", WorldFacts.json(kethia)));
        HttpResponse<String> r =
            admin.send(
                "POST", "/mend4j/v1/edits", "application/octet-stream", EditFile.bytes(imported));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        admin.expect(200, "POST", "/mend4j/v1/edits/" + imported.id() + "/disable", null);
        admin.expect(
            200,
            "PUT",
            "/mend4j/v1/variants/canary",
            "{\"edits\": [\"" + imported.id() + "\"], \"traffic_percent\": 25}");
        admin.expect(200, "PUT", "/mend4j/v1/variants/original", "{\"edits\": []}");
        String scratch = id(admin.expect(201, "POST", "/mend4j/v1/edits", WorldFacts.json(gitek)));
        admin.expect(200, "DELETE", "/mend4j/v1/edits/" + scratch, null);
        editsBefore = admin.call("GET", "/mend4j/v1/edits", null).body();
        variantsBefore = admin.call("GET", "/mend4j/v1/variants", null).body();
        answersBefore = answers(first, kethia, gitek);
        assertThat(editsBefore).contains(a, imported.id()).doesNotContain(scratch);
      }
    }
    Files.writeString(edits.resolve("broken.mend.safetensors"), "half an edit file");
    EditFile.write(foreign, edits.resolve("foreign.mend.safetensors"));

    try (ControlledService second = ControlledService.start("persist-2", edits, Map.of())) {
      AdminClient admin = second.admin();
      List<String> answersAfter = answers(second, kethia, gitek);
      assertThat(answersAfter).isEqualTo(answersBefore);
      JsonElement editsAfter = admin.expect(200, "GET", "/mend4j/v1/edits", null);
      List<JsonElement> restored = new ArrayList<>();
      for (JsonElement e : editsAfter.getAsJsonArray()) {
        if (!id(e).equals(foreign.id())) {
          restored.add(e);
        } else {
          assertThat(e.getAsJsonObject().get("state").getAsString()).isEqualTo("REFUSED");
          assertThat(e.getAsJsonObject().get("message").getAsString())
              .contains("parameter 'transformer.h.2.mlp.c_proj.weight'");
        }
      }
      assertThat(restored.toString())
          .as("the same edits, in order, with the same flags")
          .isEqualTo(withoutSources(editsBefore));
      assertThat(admin.call("GET", "/mend4j/v1/variants", null).body()).isEqualTo(variantsBefore);
      String log = Files.readString(second.app().log());
      assertThat(log)
          .contains("skipped edit file " + edits.resolve("broken.mend.safetensors"))
          .contains("(foreign.mend.safetensors) refused: parameter")
          .contains("loaded 3 of 4 edit files");
    }
  }

  private static List<String> answers(
      ControlledService s, CounterFactRecord kethia, CounterFactRecord gitek) throws IOException {
    List<String> out = new ArrayList<>();
    out.add(s.answer(kethia.prompt(), TOKENS, Map.of()));
    out.add(s.answer(gitek.prompt(), TOKENS, Map.of()));
    out.add(s.answer(gitek.prompt(), TOKENS, Map.of("X-Mend4j-Variant", "canary")));
    out.add(s.answer(kethia.prompt(), TOKENS, Map.of("X-Mend4j-Variant", "original")));
    return out;
  }

  /** The edit list as a restart shows it: sources are now the files the edits were read from. */
  private static String withoutSources(String editsJson) {
    List<JsonElement> out = new ArrayList<>();
    for (JsonElement e : com.google.gson.JsonParser.parseString(editsJson).getAsJsonArray()) {
      JsonObject o = e.getAsJsonObject().deepCopy();
      o.addProperty("source", id(o) + EditFile.SUFFIX);
      out.add(o);
    }
    return out.toString();
  }

  private static String id(JsonElement e) {
    return e.getAsJsonObject().get("id").getAsString();
  }
}
