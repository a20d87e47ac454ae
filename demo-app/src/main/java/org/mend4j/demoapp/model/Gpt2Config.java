package org.mend4j.demoapp.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shape of a GPT-2 network, read from a Hugging Face {@code config.json}.
 *
 * <p>It exists so that the network and the generator can be sized before any weight is read, and so
 * that an unsupported checkpoint fails at start-up with a message naming the file and the field.
 *
 * @param vocabSize number of token ids
 * @param nPositions longest sequence the position embedding covers (the context)
 * @param nEmbd width of the residual stream
 * @param nLayer number of transformer blocks
 * @param nHead number of attention heads
 * @param nInner width of the MLP's hidden layer
 * @param layerNormEpsilon epsilon of every LayerNorm
 * @param eosTokenId the token that ends a generation
 */
public record Gpt2Config(
    int vocabSize,
    int nPositions,
    int nEmbd,
    int nLayer,
    int nHead,
    int nInner,
    float layerNormEpsilon,
    long eosTokenId) {

  /** GPT-2's {@code <|endoftext|>}, used when the config names no end-of-sequence token. */
  public static final long GPT2_END_OF_TEXT = 50256;

  /** Validates the shape: every size positive and the width divisible by the number of heads. */
  public Gpt2Config {
    if (vocabSize <= 0
        || nPositions <= 0
        || nEmbd <= 0
        || nLayer <= 0
        || nHead <= 0
        || nInner <= 0) {
      throw new IllegalArgumentException(
          String.format(
              "sizes must be positive: vocab_size %d, n_positions %d, n_embd %d, n_layer %d,"
                  + " n_head %d, n_inner %d",
              vocabSize, nPositions, nEmbd, nLayer, nHead, nInner));
    }
    if (nEmbd % nHead != 0) {
      throw new IllegalArgumentException(
          "n_embd " + nEmbd + " is not divisible by n_head " + nHead);
    }
  }

  /** Width of one attention head. */
  public int headDim() {
    return nEmbd / nHead;
  }

  /**
   * Reads {@code config.json}; unknown fields are ignored, missing required ones are an error.
   *
   * @param file the config file
   * @return the config
   * @throws IOException if the file cannot be read or is not a GPT-2 config
   */
  public static Gpt2Config read(Path file) throws IOException {
    JsonObject json;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      json = JsonParser.parseReader(reader).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new IOException(file + ": not a JSON object: " + e.getMessage(), e);
    }
    String activation = optString(json, "activation_function", "gelu_new");
    if (!activation.equals("gelu_new")) {
      throw new IOException(
          file + ": activation_function '" + activation + "' is not supported (expected gelu_new)");
    }
    int nEmbd = requiredInt(json, "n_embd", file);
    JsonElement inner = json.get("n_inner");
    int nInner = inner == null || inner.isJsonNull() ? 4 * nEmbd : inner.getAsInt();
    JsonElement eps = json.get("layer_norm_epsilon");
    JsonElement eos = json.get("eos_token_id");
    try {
      return new Gpt2Config(
          requiredInt(json, "vocab_size", file),
          requiredInt(json, "n_positions", file),
          nEmbd,
          requiredInt(json, "n_layer", file),
          requiredInt(json, "n_head", file),
          nInner,
          eps == null ? 1e-5f : eps.getAsFloat(),
          eos == null || eos.isJsonNull() ? GPT2_END_OF_TEXT : eos.getAsLong());
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private static int requiredInt(JsonObject json, String field, Path file) throws IOException {
    JsonElement value = json.get(field);
    if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
      throw new IOException(file + ": missing or non-numeric required field '" + field + "'");
    }
    return value.getAsInt();
  }

  private static String optString(JsonObject json, String field, String fallback) {
    JsonElement value = json.get(field);
    return value == null || value.isJsonNull() ? fallback : value.getAsString();
  }
}
