package org.mend4j.runtime.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** The JSON writer of every {@code --json} output: compact, one object per line. */
final class Json {

  static final Gson GSON =
      new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();

  private Json() {}

  static String write(Object value) {
    return GSON.toJson(value);
  }
}
