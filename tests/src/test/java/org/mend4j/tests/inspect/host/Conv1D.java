package org.mend4j.tests.inspect.host;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * HF's {@code Conv1D} without bias, as a host might write it: {@code y = x W}, W {@code [in, out]}.
 */
public final class Conv1D extends AbstractBlock {

  private final Parameter weight;

  /** A block whose weight is set later. */
  public Conv1D() {
    weight =
        addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
  }

  /** Sets the weight, {@code [in, out]}. */
  public void setWeight(NDArray w) {
    weight.setArray(w);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.head();
    return new NDList(x.matMul(ps.getValue(weight, x.getDevice(), training)));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputs) {
    return new Shape[] {
      inputs[0].slice(0, inputs[0].dimension() - 1).add(weight.getArray().getShape().get(1))
    };
  }
}
