package org.mend4j.runtime.mend;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mend4j.runtime.gpt2.Gpt2Config;
import org.mend4j.runtime.gpt2.Gpt2Names;

/**
 * MEND's hyper-parameters under the reference code's field names, read from and written to JSON
 * ({@code inner_params, rank, n_hidden, init, norm, combine, shared, x_only, delta_only, one_sided,
 * act, edit_lr, lr, lr_lr, cedit, cloc, accumulate_bs, grad_clip, val_interval, val_steps,
 * early_stop_patience, max_iters, seed}). Fields missing from a file keep their defaults; unknown
 * fields are ignored, so EasyEdit's hparams files load.
 */
public final class MendHparams {

  List<String> innerParams = new ArrayList<>();
  int rank = 1920;
  int nHidden = 1;
  String init = "id";
  boolean norm = true;
  boolean combine = true;
  boolean shared = true;
  boolean xOnly = false;
  boolean deltaOnly = false;
  boolean oneSided = false;
  String act = "relu";
  double editLr = 1e-4;
  double lr = 1e-6;
  double lrLr = 1e-4;
  double cedit = 0.1;
  double cloc = 1.0;
  int accumulateBs = 10;
  double gradClip = 100;
  int valInterval = 5000;
  int valSteps = 500;
  int earlyStopPatience = 20000;
  int maxIters = 100000;
  long seed = 0;

  /** mend4j extension: at most this many earlier edits before each training edit (0: reference). */
  int history = 0;

  /** mend4j extension: weight of the retention term for the earlier edits' targets. */
  double cret = 1.0;

  private static final Gson GSON =
      new GsonBuilder()
          .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
          .setPrettyPrinting()
          .create();

  /**
   * The defaults for a world-sized GPT-2: the MLP weights ({@code c_proj} then {@code c_fc}) of the
   * last three blocks (fewer for shallower models), a rank that keeps the editor small, and a
   * learning rate suited to a small model.
   */
  public static MendHparams defaults(Gpt2Config config) {
    MendHparams h = new MendHparams();
    for (int layer = Math.max(0, config.nLayer() - 3); layer < config.nLayer(); layer++) {
      h.innerParams.add(Gpt2Names.block(layer, "mlp.c_proj.weight"));
      h.innerParams.add(Gpt2Names.block(layer, "mlp.c_fc.weight"));
    }
    h.rank = 256;
    h.lr = 1e-4;
    h.lrLr = 1e-4;
    h.editLr = 1e-4;
    h.valInterval = 500;
    h.valSteps = 200;
    h.earlyStopPatience = 3000;
    h.maxIters = 10000;
    return h;
  }

  /** Reads a JSON hparams file over {@code base}'s values. */
  public static MendHparams read(Path file, MendHparams base) {
    try {
      MendHparams h = GSON.fromJson(GSON.toJson(base), MendHparams.class);
      com.google.gson.JsonObject overrides =
          com.google.gson.JsonParser.parseString(Files.readString(file)).getAsJsonObject();
      com.google.gson.JsonObject merged = GSON.toJsonTree(h).getAsJsonObject();
      overrides.entrySet().forEach(e -> merged.add(e.getKey(), e.getValue()));
      MendHparams result = GSON.fromJson(merged, MendHparams.class);
      result.validate(file.toString());
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read hparams " + file, e);
    } catch (JsonParseException | IllegalStateException | NumberFormatException e) {
      throw new IllegalArgumentException(file + ": malformed MEND hparams: " + e.getMessage(), e);
    }
  }

  /** Parses hparams JSON text (as stored beside an editor checkpoint). */
  static MendHparams parse(String json, String source) {
    try {
      MendHparams h = GSON.fromJson(json, MendHparams.class);
      h.validate(source);
      return h;
    } catch (JsonParseException | IllegalStateException | NumberFormatException e) {
      throw new IllegalArgumentException(source + ": malformed MEND hparams: " + e.getMessage(), e);
    }
  }

  /** Writes the hparams as JSON. */
  public void write(Path file) {
    try {
      Files.writeString(file, toJson() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  String toJson() {
    return GSON.toJson(this);
  }

  private void validate(String source) {
    if (innerParams == null || innerParams.isEmpty()) {
      throw new IllegalArgumentException(source + ": inner_params is empty");
    }
    innerParams = innerParams.stream().map(Gpt2Names::canonical).toList();
    if (!init.equals("id") && !init.equals("xavier")) {
      throw new IllegalArgumentException(source + ": init must be id or xavier, got " + init);
    }
    if (combine && (oneSided || xOnly || deltaOnly)) {
      throw new IllegalArgumentException(
          source + ": combine cannot be used with one_sided, x_only or delta_only");
    }
    if (rank <= 0 || nHidden < 0 || accumulateBs <= 0 || history < 0) {
      throw new IllegalArgumentException(source + ": rank, n_hidden, accumulate_bs out of range");
    }
  }

  /** The inner parameters' canonical names, in order. */
  public List<String> innerParams() {
    return List.copyOf(innerParams);
  }

  /** Validated copy, for callers that built hparams in code. */
  public MendHparams validated() {
    return parse(toJson(), "hparams");
  }
}
