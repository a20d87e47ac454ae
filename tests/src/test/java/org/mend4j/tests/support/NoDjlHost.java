package org.mend4j.tests.support;

/** A host without DJL on its class path: the agent must disable itself and let it run. */
public final class NoDjlHost {

  private NoDjlHost() {}

  /**
   * Prints one line and exits normally.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    System.out.println("host without DJL ran");
  }
}
