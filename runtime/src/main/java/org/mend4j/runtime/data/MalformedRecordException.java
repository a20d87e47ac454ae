package org.mend4j.runtime.data;

/** A dataset record that does not have the expected shape; names the file, record and field. */
public final class MalformedRecordException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int index;
  private final String field;

  /**
   * @param file the file (or other source) the record came from
   * @param index the record's index in the top-level array, from 0
   * @param field the offending field, or {@code null} when the record itself is wrong
   * @param problem what was expected and what was found
   */
  public MalformedRecordException(String file, int index, String field, String problem) {
    super(
        file
            + ": record "
            + index
            + (field == null ? "" : ", field '" + field + "'")
            + ": "
            + problem);
    this.file = file;
    this.index = index;
    this.field = field;
  }

  public String file() {
    return file;
  }

  public int index() {
    return index;
  }

  /** The offending field, or {@code null} when the record as a whole is wrong. */
  public String field() {
    return field;
  }
}
