package org.mend4j.agent.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The host's parameter arrays come from the roots of the trees its layers hang in: every parameter
 * of the model (here a LayerNorm's too, which the layer catalog does not hold), or only the layers'
 * own when no tree was recorded (an agent attached after the host built its model).
 */
class HostParametersTest {

  @Test
  void aRecordedTreeGivesEveryParameterOfTheModelOnce() {
    try (NDManager manager = NDManager.newBaseManager()) {
      LayerNorm norm = LayerNorm.builder().build();
      Linear fc = Linear.builder().setUnits(4).build();
      SequentialBlock model = new SequentialBlock().add(norm).add(fc);
      model.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
      LayerCatalog catalog = new LayerCatalog();
      catalog.track(fc);
      BlockTree tree = new BlockTree();
      tree.record(model, "norm", norm);
      tree.record(model, "fc", fc);

      List<Object> arrays = HostParameters.arrays(catalog, tree);

      assertThat(arrays)
          .containsExactlyInAnyOrder(
              norm.getParameters().get("gamma").getArray(),
              norm.getParameters().get("beta").getArray(),
              fc.getParameters().get("weight").getArray(),
              fc.getParameters().get("bias").getArray());
      assertThat(HostParameters.arrays(catalog, new BlockTree()))
          .as("no tree: the layer's own parameters only")
          .containsExactlyInAnyOrder(
              fc.getParameters().get("weight").getArray(),
              fc.getParameters().get("bias").getArray());
    }
  }
}
