package org.mend4j.runtime.cli;

/**
 * PyTorch thread settings for the CLI's jobs. Training steps on small models are many tiny ops,
 * where intra-op threads only add synchronisation (and, on a busy 2-core machine, spinning); one
 * thread is faster. Must run before the engine starts; an explicit setting wins.
 */
final class Engines {

  private static final String THREADS = "ai.djl.pytorch.num_threads";

  private Engines() {}

  static void singleThreaded() {
    if (System.getProperty(THREADS) == null) {
      System.setProperty(THREADS, "1");
    }
  }
}
