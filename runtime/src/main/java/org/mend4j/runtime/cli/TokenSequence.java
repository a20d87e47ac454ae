package org.mend4j.runtime.cli;

import picocli.CommandLine.ITypeConverter;

/**
 * Token ids given on the command line as {@code 0,0,195,731}.
 *
 * @param ids the ids, in order
 */
record TokenSequence(long[] ids) {

  /** Parses the CSV form, naming the bad element on error. */
  static final class Converter implements ITypeConverter<TokenSequence> {
    @Override
    public TokenSequence convert(String csv) {
      String[] parts = csv.split(",");
      long[] ids = new long[parts.length];
      for (int i = 0; i < parts.length; i++) {
        try {
          ids[i] = Long.parseLong(parts[i].trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "input ids: element " + i + " ('" + parts[i] + "') is not an integer");
        }
        if (ids[i] < 0) {
          throw new IllegalArgumentException("input ids: element " + i + " is negative");
        }
      }
      return new TokenSequence(ids);
    }
  }
}
