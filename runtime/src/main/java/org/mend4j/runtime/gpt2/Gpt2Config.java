package org.mend4j.runtime.gpt2;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The hyper-parameters of a GPT-2 model, read from an HF {@code config.json}. Unknown fields are
 * ignored (HF configs carry many); a missing required field is an error naming it and the file.
 *
 * @param nEmbd width of the residual stream
 * @param nLayer number of transformer blocks
 * @param nHead attention heads per block
 * @param nPositions context length
 * @param vocabSize vocabulary size
 * @param layerNormEpsilon LayerNorm epsilon
 * @param nInner width of the MLP's hidden layer
 * @param activation {@code gelu_new} (the tanh approximation GPT-2 uses)
 * @param tieWordEmbeddings whether the LM head reuses {@code wte}
 * @param eosTokenId the end-of-text token
 */
public record Gpt2Config(
    int nEmbd,
    int nLayer,
    int nHead,
    int nPositions,
    int vocabSize,
    float layerNormEpsilon,
    int nInner,
    String activation,
    boolean tieWordEmbeddings,
    int eosTokenId) {

  private static final Set<String> TANH_GELU = Set.of("gelu_new", "gelu_pytorch_tanh", "gelu_fast");

  /** Validates the combination of fields. */
  public Gpt2Config {
    if (nEmbd <= 0 || nLayer <= 0 || nHead <= 0 || nPositions <= 0 || vocabSize <= 0) {
      throw new IllegalArgumentException("GPT-2 sizes must be positive: " + this);
    }
    if (nEmbd % nHead != 0) {
      throw new IllegalArgumentException(
          "n_embd " + nEmbd + " is not divisible by n_head " + nHead);
    }
    if (!TANH_GELU.contains(activation)) {
      throw new IllegalArgumentException(
          "activation_function '" + activation + "' is not supported (expected gelu_new)");
    }
  }

  /** Size of one attention head. */
  public int headDim() {
    return nEmbd / nHead;
  }

  /** Reads {@code config.json}. */
  public static Gpt2Config read(Path file) {
    try {
      JsonObject json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
      return fromJson(json, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read GPT-2 config " + file, e);
    } catch (JsonParseException | IllegalStateException e) {
      throw new IllegalArgumentException(file + ": not a JSON object", e);
    }
  }

  static Gpt2Config fromJson(JsonObject json, String source) {
    int nEmbd = required(json, source, "n_embd");
    Integer positions = optionalInt(json, "n_positions");
    if (positions == null) {
      positions = optionalInt(json, "n_ctx");
    }
    if (positions == null) {
      throw new IllegalArgumentException(source + ": missing required field 'n_positions'");
    }
    Integer inner = optionalInt(json, "n_inner");
    JsonElement eps = json.get("layer_norm_epsilon");
    JsonElement act = json.get("activation_function");
    JsonElement tie = json.get("tie_word_embeddings");
    Integer eos = optionalInt(json, "eos_token_id");
    try {
      return new Gpt2Config(
          nEmbd,
          required(json, source, "n_layer"),
          required(json, source, "n_head"),
          positions,
          required(json, source, "vocab_size"),
          eps == null || eps.isJsonNull() ? 1e-5f : eps.getAsFloat(),
          inner == null ? 4 * nEmbd : inner,
          act == null || act.isJsonNull() ? "gelu_new" : act.getAsString(),
          tie == null || tie.isJsonNull() || tie.getAsBoolean(),
          eos == null ? 50256 : eos);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  private static int required(JsonObject json, String source, String field) {
    Integer value = optionalInt(json, field);
    if (value == null) {
      throw new IllegalArgumentException(source + ": missing required field '" + field + "'");
    }
    return value;
  }

  private static Integer optionalInt(JsonObject json, String field) {
    JsonElement e = json.get(field);
    if (e == null || e.isJsonNull()) {
      return null;
    }
    try {
      return e.getAsInt();
    } catch (NumberFormatException | UnsupportedOperationException | IllegalStateException ex) {
      throw new IllegalArgumentException("field '" + field + "' is not an integer: " + e, ex);
    }
  }

  /** Writes an HF-compatible {@code config.json}. */
  public void write(Path file) {
    JsonObject json = new JsonObject();
    json.addProperty("model_type", "gpt2");
    json.add("architectures", JsonParser.parseString("[\"GPT2LMHeadModel\"]"));
    json.addProperty("activation_function", activation);
    json.addProperty("vocab_size", vocabSize);
    json.addProperty("n_positions", nPositions);
    json.addProperty("n_ctx", nPositions);
    json.addProperty("n_embd", nEmbd);
    json.addProperty("n_layer", nLayer);
    json.addProperty("n_head", nHead);
    json.addProperty("n_inner", nInner);
    json.addProperty("layer_norm_epsilon", layerNormEpsilon);
    json.addProperty("bos_token_id", eosTokenId);
    json.addProperty("eos_token_id", eosTokenId);
    json.addProperty("tie_word_embeddings", tieWordEmbeddings);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(json) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
