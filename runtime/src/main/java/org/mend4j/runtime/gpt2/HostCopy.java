package org.mend4j.runtime.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Reads native float32 arrays into Java with one copy. DJL's {@code toFloatArray} first copies the
 * tensor into a newly allocated direct buffer and then into the array; for the logits of a prompt
 * (128 x 50257 floats, 26 MB) that is two passes and a large allocation more than needed. Here the
 * array is read through a view of the tensor's own memory.
 */
public final class HostCopy {

  private HostCopy() {}

  /** The values of a float32 array, row-major. */
  public static float[] floats(NDArray array) {
    if (array.getDataType() != DataType.FLOAT32) {
      throw new IllegalArgumentException("expected a float32 array, got " + array.getDataType());
    }
    FloatBuffer view = array.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
    float[] out = new float[view.remaining()];
    view.get(out);
    return out;
  }
}
