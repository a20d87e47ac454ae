package org.mend4j.demoapp.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * A parsed and checked {@code POST /generate} body: {@code {"prompt": TEXT, "max_new_tokens": N,
 * "temperature"?: T, "seed"?: S}}.
 *
 * <p>Everything that can be checked without the model is checked here, so a bad request costs no
 * inference work. Unknown fields are ignored.
 *
 * @param prompt the text to continue, not empty
 * @param maxNewTokens how many tokens to generate at most, in 1..{@link #MAX_NEW_TOKENS}
 * @param temperature 0 for greedy decoding, otherwise the sampling temperature
 * @param seed the sampling seed, if the client chose one
 */
public record GenerateRequest(
    String prompt, int maxNewTokens, double temperature, OptionalLong seed) {

  /** The most tokens one request may ask for. */
  public static final int MAX_NEW_TOKENS = 256;

  /** Largest accepted body: far more than any prompt that fits GPT-2's context. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  /**
   * Reads and parses a request body, reading no more than one byte past the limit.
   *
   * @param body the body as sent (UTF-8); the caller closes it
   * @return the request
   * @throws BadRequestException (413) if the body is larger than {@link #MAX_BODY_BYTES}, or (400)
   *     as {@link #parse} says
   * @throws IOException if the body cannot be read
   */
  public static GenerateRequest read(InputStream body) throws BadRequestException, IOException {
    byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
    if (bytes.length > MAX_BODY_BYTES) {
      throw new BadRequestException(
          413, "the body is larger than the limit of " + MAX_BODY_BYTES + " bytes");
    }
    return parse(new String(bytes, StandardCharsets.UTF_8));
  }

  /**
   * Parses a request body.
   *
   * @param body the body as text
   * @return the request
   * @throws BadRequestException (400) naming the field that is wrong and why
   */
  public static GenerateRequest parse(String body) throws BadRequestException {
    JsonObject json = parseObject(body);
    JsonElement prompt = json.get("prompt");
    if (prompt == null || prompt.isJsonNull()) {
      throw bad("missing 'prompt' (a non-empty string)");
    }
    if (!prompt.isJsonPrimitive() || !prompt.getAsJsonPrimitive().isString()) {
      throw bad("'prompt' must be a string, found " + prompt);
    }
    if (prompt.getAsString().isEmpty()) {
      throw bad("'prompt' must not be empty");
    }
    BigDecimal maxNew = number(json, "max_new_tokens");
    if (maxNew == null) {
      throw bad("missing 'max_new_tokens' (an integer in 1.." + MAX_NEW_TOKENS + ")");
    }
    if (!isIntegral(maxNew)
        || maxNew.compareTo(BigDecimal.ONE) < 0
        || maxNew.compareTo(BigDecimal.valueOf(MAX_NEW_TOKENS)) > 0) {
      throw bad(
          "'max_new_tokens' must be an integer in 1.." + MAX_NEW_TOKENS + ", found " + maxNew);
    }
    BigDecimal temperature = number(json, "temperature");
    if (temperature != null
        && (temperature.signum() < 0 || Double.isInfinite(temperature.doubleValue()))) {
      throw bad("'temperature' must be 0 (greedy) or a positive number, found " + temperature);
    }
    BigDecimal seed = number(json, "seed");
    if (seed != null && (!isIntegral(seed) || seed.toBigInteger().bitLength() > 63)) {
      throw bad("'seed' must be a 64-bit integer, found " + seed);
    }
    return new GenerateRequest(
        prompt.getAsString(),
        maxNew.intValueExact(),
        temperature == null ? 0 : temperature.doubleValue(),
        seed == null ? OptionalLong.empty() : OptionalLong.of(seed.longValueExact()));
  }

  private static JsonObject parseObject(String body) throws BadRequestException {
    try (JsonReader reader = new JsonReader(new StringReader(body))) {
      reader.setStrictness(Strictness.STRICT);
      JsonElement element = JsonParser.parseReader(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw bad("malformed JSON: unexpected content after the object");
      }
      if (!element.isJsonObject()) {
        throw bad("the body must be a JSON object, found " + element);
      }
      return element.getAsJsonObject();
    } catch (JsonParseException | IOException | IllegalStateException e) {
      throw bad("malformed JSON: " + reason(e));
    }
  }

  /** The innermost message's first line (Gson appends a troubleshooting link). */
  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause().getMessage() != null) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage()).lines().findFirst().orElse("");
  }

  private static BigDecimal number(JsonObject json, String field) throws BadRequestException {
    JsonElement value = json.get(field);
    if (value == null || value.isJsonNull()) {
      return null;
    }
    if (!value.isJsonPrimitive() || !((JsonPrimitive) value).isNumber()) {
      throw bad("'" + field + "' must be a number, found " + value);
    }
    return value.getAsBigDecimal();
  }

  private static boolean isIntegral(BigDecimal value) {
    return value.stripTrailingZeros().scale() <= 0;
  }

  private static BadRequestException bad(String message) {
    return new BadRequestException(400, message);
  }
}
