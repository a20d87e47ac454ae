package org.mend4j.agent.admin;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Set;

/**
 * The body of {@code POST /mend4j/v1/try}: {@code {"prompt", "max_new_tokens"?}}, one prompt to
 * answer under every variant.
 */
final class TryRequests {

  /** Tokens generated when the request names none. */
  static final int DEFAULT_TOKENS = 8;

  /** Most tokens one answer may generate: an answer per variant is generated in turn. */
  static final int MAX_TOKENS = 64;

  private static final Set<String> FIELDS = Set.of("prompt", "max_new_tokens");

  private TryRequests() {}

  /** A parsed request. */
  record TryRequest(String prompt, int maxNewTokens) {}

  /**
   * Parses and validates a body.
   *
   * @throws HttpError 400 naming the field at fault
   */
  static TryRequest parse(String body) {
    String what = "try-it request";
    JsonElement json = StrictJson.parse(body);
    if (!json.isJsonObject()) {
      throw HttpError.badRequest(
          what
              + ": expected {\"prompt\": TEXT, \"max_new_tokens\": n}, found "
              + StrictJson.abbreviate(json));
    }
    JsonObject o = json.getAsJsonObject();
    StrictJson.onlyFields(o, FIELDS, what);
    String prompt = StrictJson.string(o, "prompt", true, what);
    if (prompt.isBlank()) {
      throw HttpError.badRequest(what + ": 'prompt' is empty");
    }
    int tokens = DEFAULT_TOKENS;
    JsonElement n = o.get("max_new_tokens");
    if (n != null && !n.isJsonNull()) {
      if (!n.isJsonPrimitive()
          || !n.getAsJsonPrimitive().isNumber()
          || n.getAsDouble() != Math.rint(n.getAsDouble())
          || n.getAsDouble() < 1
          || n.getAsDouble() > MAX_TOKENS) {
        throw HttpError.badRequest(
            what
                + ": 'max_new_tokens' must be a whole number from 1 to "
                + MAX_TOKENS
                + ", found "
                + StrictJson.abbreviate(n));
      }
      tokens = n.getAsInt();
    }
    return new TryRequest(prompt, tokens);
  }
}
