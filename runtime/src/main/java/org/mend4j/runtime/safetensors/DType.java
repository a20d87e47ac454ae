package org.mend4j.runtime.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/** The safetensors element types mend4j reads; all floating types are widened to float32. */
public enum DType {
  F32(4),
  F16(2),
  BF16(2);

  private final int bytes;

  DType(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per element in the file. */
  public int bytes() {
    return bytes;
  }

  /** Float32 values narrowed to this type (round to nearest even), as little-endian bytes. */
  public ByteBuffer encode(float[] values) {
    ByteBuffer out = ByteBuffer.allocate(values.length * bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      switch (this) {
        case F32 -> out.putFloat(v);
        case F16 -> out.putShort(HalfFloat.fromFloat(v));
        case BF16 -> out.putShort(HalfFloat.floatToBf16(v));
      }
    }
    return out.flip();
  }

  /** The element at {@code index} of little-endian bytes of this type, widened to float32. */
  float decode(ByteBuffer bytes, int index) {
    return switch (this) {
      case F32 -> bytes.getFloat(4 * index);
      case F16 -> HalfFloat.toFloat(bytes.getShort(2 * index));
      case BF16 -> HalfFloat.bf16ToFloat(bytes.getShort(2 * index));
    };
  }

  /**
   * Parses a header dtype string.
   *
   * @throws SafeTensorsException naming the file and tensor if the type is not supported
   */
  static DType parse(String name, String file, String tensor) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new SafeTensorsException(
          file, tensor, "unsupported dtype '" + name + "' (expected F32, F16 or BF16)");
    }
  }
}
