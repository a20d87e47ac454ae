package org.mend4j.runtime.data;

import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Reads and writes EasyEdit's CounterFact and zsRE JSON files. */
public final class EasyEditJson {

  private EasyEditJson() {}

  /** Reads a CounterFact file (a JSON array of flat records). */
  public static List<CounterFactRecord> readCounterFact(Path file) {
    return JsonRecords.read(file, CounterFactRecord::fromJson);
  }

  /** Reads CounterFact records from a reader; {@code source} names it in errors. */
  public static List<CounterFactRecord> readCounterFact(Reader in, String source) {
    return JsonRecords.read(in, source, CounterFactRecord::fromJson);
  }

  /** Reads a zsRE file. */
  public static List<ZsreRecord> readZsre(Path file) {
    return JsonRecords.read(file, ZsreRecord::fromJson);
  }

  /** Reads zsRE records from a reader; {@code source} names it in errors. */
  public static List<ZsreRecord> readZsre(Reader in, String source) {
    return JsonRecords.read(in, source, ZsreRecord::fromJson);
  }

  /**
   * Reads either format as edit cases. The first record decides: a record with {@code src} is zsRE,
   * otherwise CounterFact. zsRE records without a target ({@code alt} empty) are skipped, as
   * EasyEdit does.
   */
  public static List<EditCase> readEditCases(Path file) {
    List<Object> records = JsonRecords.read(file, detecting());
    return toEditCases(records);
  }

  /** {@link #readEditCases(Path)} from a reader; {@code source} names it in errors. */
  public static List<EditCase> readEditCases(Reader in, String source) {
    return toEditCases(JsonRecords.read(in, source, detecting()));
  }

  /** Writes CounterFact records as a pretty-printed JSON array, fields in EasyEdit's order. */
  public static void writeCounterFact(List<CounterFactRecord> records, Path file) {
    JsonRecords.write(file, records.stream().map(CounterFactRecord::toJson).toList());
  }

  private static Function<JsonRecords.Fields, Object> detecting() {
    boolean[] zsre = new boolean[1];
    return f -> {
      if (f.index() == 0) {
        zsre[0] = f.has("src");
      }
      return zsre[0] ? ZsreRecord.fromJson(f) : CounterFactRecord.fromJson(f);
    };
  }

  private static List<EditCase> toEditCases(List<Object> records) {
    List<EditCase> out = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      Object r = records.get(i);
      if (r instanceof CounterFactRecord cf) {
        out.add(cf.toEditCase());
      } else if (((ZsreRecord) r).hasTarget()) {
        out.add(((ZsreRecord) r).toEditCase(i));
      }
    }
    return out;
  }
}
