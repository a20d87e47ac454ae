package org.mend4j.runtime.safetensors;

/**
 * IEEE 754 binary16 and bfloat16 conversions to and from float32 (Java 17 lacks {@code
 * Float.float16ToFloat}); narrowing rounds to nearest, ties to even, as PyTorch does.
 */
final class HalfFloat {

  private HalfFloat() {}

  static float toFloat(short half) {
    int bits = half & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      if (mantissa == 0) {
        return Float.intBitsToFloat(sign);
      }
      float value = mantissa * 0x1p-24f;
      return sign == 0 ? value : -value;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  static short fromFloat(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = ((bits >>> 23) & 0xff) - 112;
    int mantissa = bits & 0x7fffff;
    if (exponent == 0xff - 112) {
      return (short) (sign | 0x7c00 | (mantissa == 0 ? 0 : 0x200 | (mantissa >>> 13)));
    }
    if (exponent >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (exponent <= 0) {
      if (exponent < -10) {
        return (short) sign;
      }
      return (short) (sign | roundShift(mantissa | 0x800000, 14 - exponent));
    }
    // a carry out of the mantissa rounds into the exponent, up to infinity: still correct
    return (short) (sign | roundShift((exponent << 23) | mantissa, 13));
  }

  static float bf16ToFloat(short bf16) {
    return Float.intBitsToFloat((bf16 & 0xffff) << 16);
  }

  static short floatToBf16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if (Float.isNaN(value)) {
      return (short) ((bits >>> 16) | 0x40);
    }
    return (short) roundShift(bits, 16);
  }

  /** {@code bits >>> shift}, rounded to nearest, ties to even. */
  private static int roundShift(int bits, int shift) {
    int kept = bits >>> shift;
    int rest = bits & ((1 << shift) - 1);
    int half = 1 << (shift - 1);
    return rest > half || (rest == half && (kept & 1) != 0) ? kept + 1 : kept;
  }
}
