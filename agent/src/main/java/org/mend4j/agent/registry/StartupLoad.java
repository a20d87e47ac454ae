package org.mend4j.agent.registry;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.mend4j.agent.internal.AgentLog;

/**
 * The load of the edit files given at start, as the host's first forward pass sees it: while it
 * runs, snapshots say {@link Snapshot#startupPending()}, and the first pass waits for it, at most
 * {@value #FIRST_PASS_WAIT_SECONDS} s, so a stuck load delays the host's first answer but never
 * stops it. The registry changes the flag under its lock; waiting happens outside it.
 */
final class StartupLoad {

  static final long FIRST_PASS_WAIT_SECONDS = 120;

  private volatile CountDownLatch done = new CountDownLatch(0);
  private volatile boolean pending;

  /** Edit files are being read. */
  void begin() {
    done = new CountDownLatch(1);
    pending = true;
  }

  /** The files are read (or failed): the next snapshot no longer says pending. */
  void markDone() {
    pending = false;
  }

  /** Releases the passes waiting for the load; after the snapshot {@link #markDone} asks for. */
  void release() {
    done.countDown();
  }

  /** Whether edit files are being read. */
  boolean pending() {
    return pending;
  }

  /**
   * Waits until the files are read.
   *
   * @return false if they are still being read after {@code seconds}
   */
  boolean await(long seconds) throws InterruptedException {
    return done.await(seconds, TimeUnit.SECONDS);
  }

  /** Waits as the host's first forward pass does: bounded, with a warning when it gives up. */
  void awaitForFirstPass() {
    try {
      if (!await(FIRST_PASS_WAIT_SECONDS)) {
        AgentLog.warn("edit files still loading after " + FIRST_PASS_WAIT_SECONDS + " s; going on");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
