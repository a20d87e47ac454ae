package org.mend4j.runtime.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** What the count of native arrays left behind sees, and what it must not. */
class NativeArraysTest {

  @Test
  void anOperationOnALongLivedArrayOutlivesTheScopeItRanIn() {
    try (NDManager root = NDManager.newBaseManager()) {
      NDArray weight = root.ones(new Shape(4, 4));
      NativeArrays held = new NativeArrays(root);
      NDArray leaked;
      try (NDManager scope = root.newSubManager()) {
        scope.ones(new Shape(4)); // freed with its scope
        leaked = weight.transpose(); // in the weight's manager, not the scope's
      }
      assertThat(held.added()).isEqualTo(1);
      leaked.close();
      assertThat(held.added()).isZero();
    }
  }
}
