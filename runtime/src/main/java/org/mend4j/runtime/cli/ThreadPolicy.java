package org.mend4j.runtime.cli;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many PyTorch threads a {@code mend4j} command uses: one policy for every command, applied by
 * {@link Main} before the command runs (so before the engine starts), and overridden by DJL's own
 * properties {@code ai.djl.pytorch.num_threads} and {@code ai.djl.pytorch.num_interop_threads} (for
 * {@code ./mend4j}: {@code MEND4J_JAVA_OPTS="-Dai.djl.pytorch.num_threads=2"}).
 *
 * <ul>
 *   <li>{@link Inference} commands (generate, logits, bench gpt2, bench generate) run one intra-op
 *       thread per core but one. Decoding a large model is bound by memory bandwidth, which a
 *       second thread raises; but PyTorch's OpenMP threads busy-wait at the end of every parallel
 *       region, and one descheduled thread stalls the region for a scheduler slice. On a 2-core
 *       machine at load 4, GPT-2 small decoded at 131 to 136 ms a token with two threads against 48
 *       to 56 with one (interleaved runs of {@code bench gpt2}), so one core is left to the rest of
 *       the machine; with a core to spare, two threads would have given 29 to 32 ms.
 *   <li>Every other command (training, editing, evaluation, their benchmarks, merging) runs one
 *       thread: their ops are small (the world model is 192 wide), where threads add only
 *       synchronisation, and one thread makes their results bit-identical on every machine.
 *   <li>Inter-op threads: one; mend4j never runs independent ops concurrently.
 * </ul>
 */
final class ThreadPolicy {

  /** Marks a command whose work is inference on a possibly large model. */
  interface Inference {}

  static final String THREADS = "ai.djl.pytorch.num_threads";
  static final String INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";

  /** The properties the user set when the JVM started; the policy leaves them alone. */
  private static final Set<String> GIVEN =
      Stream.of(THREADS, INTEROP_THREADS)
          .filter(p -> System.getProperty(p) != null)
          .collect(Collectors.toUnmodifiableSet());

  private static final Logger LOG = LoggerFactory.getLogger(ThreadPolicy.class);

  private ThreadPolicy() {}

  /** Intra-op threads for {@code command} on a machine with {@code cores} cores. */
  static int threads(Object command, int cores) {
    return command instanceof Inference ? Math.max(1, cores - 1) : 1;
  }

  /** Sets the engine's thread properties for {@code command}, unless the user set them. */
  static void apply(Object command) {
    set(THREADS, threads(command, Runtime.getRuntime().availableProcessors()));
    set(INTEROP_THREADS, 1);
    LOG.debug(
        "PyTorch threads: {} intra-op, {} inter-op{}",
        System.getProperty(THREADS),
        System.getProperty(INTEROP_THREADS),
        GIVEN.isEmpty() ? "" : " (" + String.join(", ", GIVEN) + " set by the user)");
  }

  private static void set(String property, int value) {
    if (!GIVEN.contains(property)) {
      System.setProperty(property, String.valueOf(value));
    }
  }
}
