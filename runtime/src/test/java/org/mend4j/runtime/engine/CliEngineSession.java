package org.mend4j.runtime.engine;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Applies {@link MklCpuDispatch} and {@link RowProducts} before the runtime's first test starts the
 * engine, as the CLI does before a command runs: the reference outputs, the KV cache against
 * recomputation and every other numeric check then hold on the kernels the CLI uses. (The agent's
 * tests run the engine as a host does, on oneMKL's own dispatch and libtorch's products.)
 */
public final class CliEngineSession implements LauncherSessionListener {

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    MklCpuDispatch.apply();
    RowProducts.apply();
  }
}
