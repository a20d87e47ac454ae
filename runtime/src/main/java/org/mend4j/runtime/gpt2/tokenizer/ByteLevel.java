package org.mend4j.runtime.gpt2.tokenizer;

/**
 * GPT-2's reversible map between bytes and printable characters, so BPE works on strings without
 * whitespace or control characters while any byte sequence round-trips.
 */
final class ByteLevel {

  private static final char[] BYTE_TO_CHAR = new char[256];
  private static final int[] CHAR_TO_BYTE = new int[512];

  static {
    java.util.Arrays.fill(CHAR_TO_BYTE, -1);
    int extra = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
      char c = printable ? (char) b : (char) (256 + extra++);
      BYTE_TO_CHAR[b] = c;
      CHAR_TO_BYTE[c] = b;
    }
  }

  private ByteLevel() {}

  /** The printable string standing for the bytes. */
  static String encode(byte[] bytes) {
    char[] out = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = BYTE_TO_CHAR[bytes[i] & 0xff];
    }
    return new String(out);
  }

  /**
   * Appends the bytes a token string stands for; false, with nothing appended, if it holds a
   * character outside the byte alphabet (HF's ByteLevel decoder then takes the token's own text).
   */
  static boolean decode(String token, java.io.ByteArrayOutputStream out) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c >= CHAR_TO_BYTE.length || CHAR_TO_BYTE[c] < 0) {
        return false;
      }
    }
    for (int i = 0; i < token.length(); i++) {
      out.write(CHAR_TO_BYTE[token.charAt(i)]);
    }
    return true;
  }
}
