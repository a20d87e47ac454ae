package org.mend4j.runtime.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EasyEditJsonTest {

  private static final String CF_RECORD =
      """
      {"case_id": 7, "prompt": "The mother tongue of Danielle Darrieux is",
       "target_new": "English", "subject": "Danielle Darrieux", "ground_truth": "French",
       "rephrase_prompt": "Danielle Darrieux's mother tongue is",
       "locality_prompt": "The mother tongue of Léon Blum is",
       "locality_ground_truth": "French", "portability": {"prompt": "x"}}
      """;

  /** Two records in the shape of EasyEdit's zsre_mend_eval.json (written here by hand). */
  private static final String ZSRE =
      """
      [
        {"subject": "Watts Humphrey", "src": "What university did Watts Humphrey attend?",
         "pred": "Trinity College", "rephrase": "What university did Watts Humphrey take part in?",
         "alt": "University of Michigan", "answers": ["Illinois Institute of Technology"],
         "loc": "nq question: who played desmond doss father in hacksaw ridge",
         "loc_ans": "Hugo Weaving",
         "cond": "Trinity College >> University of Michigan || What university did Watts Humphrey attend?"},
        {"subject": "Ramalinaceae", "src": "Which family does Ramalinaceae belong to?",
         "pred": "Lecanorales", "rephrase": "What family are Ramalinaceae?", "alt": "",
         "answers": ["Lecanorales", "Lecanoromycetes"],
         "loc": "nq question: types of skiing in the winter olympics 2018", "loc_ans": "Downhill",
         "cond": "Lecanorales >>  || Which family does Ramalinaceae belong to?"}
      ]
      """;

  private static List<CounterFactRecord> cf(String json) {
    return EasyEditJson.readCounterFact(new StringReader(json), "test.json");
  }

  private static List<ZsreRecord> zsre(String json) {
    return EasyEditJson.readZsre(new StringReader(json), "zsre.json");
  }

  @Test
  void readsCounterFactIgnoringUnknownFields() {
    List<CounterFactRecord> records = cf("[" + CF_RECORD + "]");
    assertThat(records).hasSize(1);
    CounterFactRecord r = records.get(0);
    assertThat(r.caseId()).isEqualTo(7);
    assertThat(r.targetNew()).isEqualTo("English");
    assertThat(r.localityPrompt()).isEqualTo("The mother tongue of Léon Blum is");
    EditCase c = r.toEditCase();
    assertThat(c.groundTruth()).isEqualTo("French");
    assertThat(c.rephrasePrompt()).isEqualTo("Danielle Darrieux's mother tongue is");
  }

  @Test
  void caseIdDefaultsToTheIndex() {
    String noId = CF_RECORD.replace("\"case_id\": 7, ", "");
    assertThat(cf("[" + noId + "," + noId + "]"))
        .extracting(CounterFactRecord::caseId)
        .containsExactly(0, 1);
  }

  @Test
  void errorsNameTheFileTheIndexAndTheField() {
    String missing = CF_RECORD.replace("\"target_new\": \"English\", ", "");
    assertThatThrownBy(() -> cf("[" + CF_RECORD + "," + CF_RECORD + "," + missing + "]"))
        .isInstanceOfSatisfying(
            MalformedRecordException.class,
            e -> {
              assertThat(e.file()).isEqualTo("test.json");
              assertThat(e.index()).isEqualTo(2);
              assertThat(e.field()).isEqualTo("target_new");
            })
        .hasMessage("test.json: record 2, field 'target_new': is missing");

    assertThatThrownBy(() -> cf("[" + CF_RECORD.replace("\"English\"", "\" \"") + "]"))
        .hasMessageContaining("record 0, field 'target_new': is empty");
    assertThatThrownBy(() -> cf("[" + CF_RECORD.replace("\"English\"", "42") + "]"))
        .hasMessageContaining(
            "record 0, field 'target_new': expected a string, found a number (42)");
    assertThatThrownBy(() -> cf("[" + CF_RECORD.replace("\"English\"", "null") + "]"))
        .hasMessageContaining("field 'target_new': is null");
    assertThatThrownBy(() -> cf("[" + CF_RECORD.replace("\"French\"", "[\"French\"]") + "]"))
        .hasMessageContaining("field 'ground_truth': expected a string, found an array");
    assertThatThrownBy(() -> cf("[" + CF_RECORD.replace("7", "7.5") + "]"))
        .hasMessageContaining("field 'case_id': expected an integer");
    assertThatThrownBy(() -> cf("[" + CF_RECORD + ", \"oops\"]"))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessage("test.json: record 1: expected a JSON object, found a string");
  }

  @Test
  void rejectsWhatIsNotAnArrayOfRecords() {
    assertThatThrownBy(() -> cf(CF_RECORD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test.json: expected a JSON array");
    assertThatThrownBy(() -> cf("[" + CF_RECORD + ", {\"prompt\": ]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test.json: invalid JSON at record 1");
    assertThatThrownBy(() -> cf("[{\"requested_rewrite\": {}}]"))
        .hasMessageContaining("record 0")
        .hasMessageContaining("ROME/MEMIT nested CounterFact format");
  }

  @Test
  void readsZsreAsEasyEditMapsIt() {
    List<ZsreRecord> records = zsre(ZSRE);
    assertThat(records).hasSize(2);
    EditCase c = records.get(0).toEditCase(0);
    assertThat(c.prompt()).isEqualTo("What university did Watts Humphrey attend?");
    assertThat(c.targetNew()).isEqualTo("University of Michigan");
    assertThat(c.groundTruth()).isEqualTo("Illinois Institute of Technology");
    assertThat(c.rephrasePrompt()).isEqualTo("What university did Watts Humphrey take part in?");
    assertThat(c.localityPrompt())
        .isEqualTo("nq question: who played desmond doss father in hacksaw ridge");
    assertThat(c.localityGroundTruth()).isEqualTo("Hugo Weaving");
    assertThat(c.subject()).isEqualTo("Watts Humphrey");
    assertThat(records.get(1).hasTarget()).isFalse();
    assertThat(records.get(1).answers()).containsExactly("Lecanorales", "Lecanoromycetes");
  }

  @Test
  void readEditCasesDetectsTheFormatAndSkipsZsreRecordsWithoutTarget(@TempDir Path dir)
      throws IOException {
    Path z = dir.resolve("zsre_mend_eval.json");
    Files.writeString(z, ZSRE);
    assertThat(EasyEditJson.readEditCases(z))
        .extracting(EditCase::subject)
        .containsExactly("Watts Humphrey");
    Path c = dir.resolve("counterfact.json");
    Files.writeString(c, "[" + CF_RECORD + "]");
    assertThat(EasyEditJson.readEditCases(c))
        .extracting(EditCase::targetNew)
        .containsExactly("English");
  }

  @Test
  void zsreErrorsNameIndexAndField() {
    assertThatThrownBy(
            () ->
                zsre(
                    ZSRE.replace(
                        "\"answers\": [\"Illinois Institute of Technology\"]", "\"answers\": []")))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessage(
            "zsre.json: record 0, field 'answers': is an empty array; expected at least one string");
    assertThatThrownBy(
            () ->
                zsre(
                    ZSRE.replace("[\"Lecanorales\", \"Lecanoromycetes\"]", "[\"Lecanorales\", 3]")))
        .hasMessage(
            "zsre.json: record 1, field 'answers[1]': expected a non-empty string, found a number (3)");
    assertThatThrownBy(() -> zsre(ZSRE.replace("\"loc_ans\": \"Downhill\",", "")))
        .hasMessage("zsre.json: record 1, field 'loc_ans': is missing");
    assertThatThrownBy(
            () ->
                zsre(
                    ZSRE.replace(
                        "\"answers\": [\"Illinois Institute of Technology\"]",
                        "\"answers\": \"Illinois\"")))
        .hasMessageContaining(
            "record 0, field 'answers': expected an array of strings, found a string");
  }

  @Test
  void writesWhatItReads(@TempDir Path dir) {
    List<CounterFactRecord> records = cf("[" + CF_RECORD + "]");
    Path file = dir.resolve("out.json");
    EasyEditJson.writeCounterFact(records, file);
    assertThat(EasyEditJson.readCounterFact(file)).isEqualTo(records);
  }
}
