package org.mend4j.runtime.mend;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.mend4j.runtime.data.EditCase;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.plot.TrainingCurves;
import org.mend4j.runtime.safetensors.SafeTensorsFile;
import org.mend4j.runtime.safetensors.SafeTensorsWriter;
import org.mend4j.runtime.train.Adam;
import org.mend4j.runtime.train.TrainingListener;

/**
 * The meta-training run: steps through shuffled training edits, validates every {@code
 * val_interval} steps, keeps the best editor (lowest validation loss) in the output directory,
 * stops early after {@code early_stop_patience} steps without improvement, and keeps a resumable
 * checkpoint in {@code OUT/checkpoint/} (a rerun with the same output continues from it; the
 * schedule — {@code max_iters}, {@code val_interval}, {@code early_stop_patience}, {@code
 * accumulate_bs}, {@code grad_clip} — comes from the hparams given, so a resumed run can be
 * extended, while the editor's architecture comes from the checkpoint). Its curves (running loss,
 * edit success and locality, and the same on validation) go to {@code OUT/training-curves.csv} and
 * {@code .png} ({@link TrainingCurves}).
 */
public final class EditorTraining {

  /** What a run achieved. */
  public record Result(int steps, int bestStep, MendTrainer.Metrics best, boolean stoppedEarly) {}

  private record State(int step, int bestStep, double bestLoss, double bestEdit, double bestLoc) {}

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  private final Gpt2Model model;
  private final MendHparams hparams;
  private final List<EditCase> train;
  private final List<EditCase> val;
  private final Path out;

  /** A run writing to {@code out}. */
  public EditorTraining(
      Gpt2Model model, MendHparams hparams, List<EditCase> train, List<EditCase> val, Path out) {
    if (train.isEmpty() || val.isEmpty()) {
      throw new IllegalArgumentException("training needs non-empty train and val sets");
    }
    this.model = model;
    this.hparams = hparams;
    this.train = train;
    this.val = val.subList(0, Math.min(val.size(), hparams.valSteps));
    this.out = out;
  }

  private Path checkpointDir() {
    return out.resolve("checkpoint");
  }

  /** Trains until {@code max_iters} or early stopping; {@code log} hears validation lines. */
  public Result run(TrainingListener progress, Consumer<String> log) {
    TrainingCurves listener = new TrainingCurves(out, "MEND editor training", progress);
    NDManager root = model.weights().manager();
    boolean resume = Files.isRegularFile(checkpointDir().resolve("state.json"));
    try (MendEditor editor =
            resume
                ? MendEditor.load(checkpointDir(), model.config(), root)
                : MendEditor.create(hparams, model.config(), root);
        NDManager optimizerManager = root.newSubManager();
        Adam adam = new Adam(editor.outerParams(), 0, optimizerManager)) {
      MendTrainer trainer = new MendTrainer(model, editor);
      State state = resume ? restore(adam, log) : new State(0, -1, Double.MAX_VALUE, 0, 0);
      List<EditCase> order = MendTrainer.order(train, hparams.seed, hparams.maxIters);
      double loss = Double.NaN;
      double edit = 0;
      double loc = 0;
      int step = state.step();
      boolean early = false;
      while (step < order.size() && !early) {
        EditCase example = order.get(step);
        MendTrainer.Metrics m = trainer.step(example, history(example, train, step, step), true);
        step++;
        boolean first = Double.isNaN(loss);
        loss = first ? m.loss() : 0.99 * loss + 0.01 * m.loss();
        edit = first ? m.editAccuracy() : 0.99 * edit + 0.01 * m.editAccuracy();
        loc = first ? m.localityAccuracy() : 0.99 * loc + 0.01 * m.localityAccuracy();
        if (step % hparams.accumulateBs == 0) {
          adam.step(trainer::learningRate, hparams.gradClip);
        }
        if (step % hparams.valInterval == 0 || step == order.size()) {
          state = validate(trainer, editor, adam, step, state, log, listener);
          early = step - state.bestStep() >= hparams.earlyStopPatience;
        }
        listener.onStep(step, order.size(), MendTrainer.figures(loss, edit, loc));
      }
      listener.write();
      return new Result(
          step,
          state.bestStep(),
          new MendTrainer.Metrics(state.bestLoss(), state.bestEdit(), state.bestLoc()),
          early);
    }
  }

  private State validate(
      MendTrainer trainer,
      MendEditor editor,
      Adam adam,
      int step,
      State state,
      Consumer<String> log,
      TrainingListener listener) {
    MendTrainer.Metrics v = trainer.validate(val, i -> history(val.get(i), val, -1 - i, step));
    listener.onValidation(
        step, MendTrainer.figures(v.loss(), v.editAccuracy(), v.localityAccuracy()));
    boolean better = v.loss() < state.bestLoss();
    State next =
        better ? new State(step, step, v.loss(), v.editAccuracy(), v.localityAccuracy()) : state;
    if (better) {
      editor.save(out);
    }
    next = new State(step, next.bestStep(), next.bestLoss(), next.bestEdit(), next.bestLoc());
    saveCheckpoint(editor, adam, next);
    log.accept(
        String.format(
            java.util.Locale.ROOT,
            "step %d val loss %.4f edit %.3f loc %.3f%s",
            step,
            v.loss(),
            v.editAccuracy(),
            v.localityAccuracy(),
            better ? " (best, saved)" : ""));
    return next;
  }

  /**
   * The earlier edits that precede {@code example} (hparam {@code history}; none by default): up to
   * that many other-subject cases of {@code pool}, chosen by a generator seeded with {@code key},
   * so a resumed run and every validation see the same ones. None during the first {@code
   * val_interval} steps, while the editor cannot edit yet.
   */
  private List<EditCase> history(EditCase example, List<EditCase> pool, long key, int step) {
    if (hparams.history == 0 || step < hparams.valInterval) {
      return List.of();
    }
    SplittableRandom random = new SplittableRandom(hparams.seed * 0x9E3779B97F4A7C15L + key);
    int size = random.nextInt(hparams.history + 1);
    List<EditCase> out = new ArrayList<>(size);
    while (out.size() < size) {
      EditCase c = pool.get(random.nextInt(pool.size()));
      if (!c.subject().equals(example.subject())
          && out.stream().noneMatch(o -> o.subject().equals(c.subject()))) {
        out.add(c);
      }
    }
    return out;
  }

  private void saveCheckpoint(MendEditor editor, Adam adam, State state) {
    editor.save(checkpointDir());
    SafeTensorsWriter writer = new SafeTensorsWriter();
    adam.state()
        .forEach(
            (name, array) ->
                writer.add(
                    name,
                    array.getShape().getShape(),
                    array.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN)));
    writer.metadata("steps", Integer.toString(adam.steps()));
    writer.write(checkpointDir().resolve("optimizer.safetensors"));
    try {
      Files.writeString(checkpointDir().resolve("state.json"), GSON.toJson(state));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write training state", e);
    }
  }

  private State restore(Adam adam, Consumer<String> log) {
    try {
      State state =
          GSON.fromJson(Files.readString(checkpointDir().resolve("state.json")), State.class);
      SafeTensorsFile optimizer =
          SafeTensorsFile.open(checkpointDir().resolve("optimizer.safetensors"));
      adam.restore(optimizer::floats, Integer.parseInt(optimizer.metadata().get("steps")));
      log.accept(
          "resuming from step " + state.step() + " (best so far at step " + state.bestStep() + ")");
      return state;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read training state in " + checkpointDir(), e);
    }
  }

  /** The validation figures of a finished run, for reports. */
  public static Map<String, Object> summary(Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("steps", r.steps());
    m.put("best_step", r.bestStep());
    m.put("val_loss", r.best().loss());
    m.put("val_edit_accuracy", r.best().editAccuracy());
    m.put("val_locality", r.best().localityAccuracy());
    m.put("stopped_early", r.stoppedEarly());
    return m;
  }
}
