package org.mend4j.runtime.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Matrices whose rows are a multiple of 4 KiB long (GPT-2 small's {@code c_fc}, {@code [768,
 * 3072]}) start every row at the same offset within a page, so the rows of a block of the matrix
 * compete for the same few cache sets: libtorch's float32 product {@code [128, 768] x [768, 3072]}
 * runs at about two thirds of the speed of {@code [768, 2304]}. Such a matrix is copied once into a
 * buffer whose rows are 64 bytes longer and served as a view of its own shape: the same values and
 * gradients, and in-place updates reach it; only the stride differs.
 */
final class RowPadding {

  private static final long PAGE_BYTES = 4096;
  private static final long PAD_FLOATS = 16;

  private RowPadding() {}

  /** Whether {@code array} is a float32 matrix with rows a multiple of 4 KiB long. */
  static boolean aliased(NDArray array) {
    Shape shape = array.getShape();
    return array.getDataType() == DataType.FLOAT32
        && shape.dimension() == 2
        && shape.get(1) * Float.BYTES % PAGE_BYTES == 0;
  }

  /**
   * A matrix served as a view of a buffer with padded rows: {@code view} has the matrix's shape and
   * is what the model reads; {@code storage} is the whole buffer, {@code [rows, columns + 16]}, for
   * readers that take a row stride ({@code RowProducts}), which the view does not give.
   */
  record Padded(NDArray view, NDArray storage) {}

  /** A copy of the matrix {@code array} with padded rows, owned by {@code manager}. */
  static Padded padded(NDArray array, NDManager manager) {
    Shape shape = array.getShape();
    NDIndex columns = new NDIndex().addAllDim().addSliceDim(0, shape.get(1));
    NDArray storage = manager.zeros(new Shape(shape.get(0), shape.get(1) + PAD_FLOATS));
    storage.set(columns, array);
    NDArray view = storage.get(columns);
    view.setName(array.getName());
    return new Padded(view, storage);
  }
}
