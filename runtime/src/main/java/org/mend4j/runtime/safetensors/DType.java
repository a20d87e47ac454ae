package org.mend4j.runtime.safetensors;

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
