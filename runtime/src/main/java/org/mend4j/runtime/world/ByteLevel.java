package org.mend4j.runtime.world;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPT-2's byte-level alphabet and pre-tokenizer, exactly as {@code encoder.py} of GPT-2 and the HF
 * {@code ByteLevel} pre-tokenizer define them.
 *
 * <p>Every byte maps to one printable code point so that BPE tokens are strings: the 188 bytes that
 * are printable Latin-1 ({@code !..~}, {@code ¡..¬}, {@code ®..ÿ}) map to themselves, the other 68
 * map to {@code U+0100} upwards in byte order (so the space byte 32 becomes {@code Ġ}). The order
 * of {@link #byteOrder()} is GPT-2's: token ids 0..255 of every GPT-2 vocabulary are these byte
 * tokens in this order (id 220 is {@code Ġ}).
 */
public final class ByteLevel {

  /**
   * GPT-2's pre-tokenizer pattern. {@code UNICODE_CHARACTER_CLASS} makes {@code \s} match Unicode
   * white space, as Python's {@code regex} and the Rust {@code tokenizers} crate do.
   */
  public static final Pattern PRETOKENIZER =
      Pattern.compile(
          "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
          Pattern.UNICODE_CHARACTER_CLASS);

  private static final int[] BYTE_ORDER = new int[256];
  private static final char[] BYTE_TO_CHAR = new char[256];
  private static final int[] CHAR_TO_BYTE = new int[512];

  static {
    int n = 0;
    boolean[] printable = new boolean[256];
    for (int b = 0; b < 256; b++) {
      printable[b] = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      if (printable[b]) {
        BYTE_ORDER[n++] = b;
        BYTE_TO_CHAR[b] = (char) b;
      }
    }
    int extra = 0;
    for (int b = 0; b < 256; b++) {
      if (!printable[b]) {
        BYTE_ORDER[n++] = b;
        BYTE_TO_CHAR[b] = (char) (256 + extra++);
      }
    }
    java.util.Arrays.fill(CHAR_TO_BYTE, -1);
    for (int b = 0; b < 256; b++) {
      CHAR_TO_BYTE[BYTE_TO_CHAR[b]] = b;
    }
  }

  private ByteLevel() {}

  /**
   * The 256 byte values in GPT-2's token order: {@code byteOrder()[id]} is the byte of token id.
   */
  public static int[] byteOrder() {
    return BYTE_ORDER.clone();
  }

  /** The printable character that stands for {@code b} (0..255). */
  public static char charOf(int b) {
    return BYTE_TO_CHAR[b & 0xFF];
  }

  /** Splits text into GPT-2 pre-tokens (words with their leading space, punctuation, spaces). */
  public static List<String> pretokenize(String text) {
    List<String> pieces = new ArrayList<>();
    Matcher m = PRETOKENIZER.matcher(text);
    while (m.find()) {
      pieces.add(m.group());
    }
    return pieces;
  }

  /** Maps a piece of text to its byte-level string: its UTF-8 bytes, each as one character. */
  public static String toByteString(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    char[] chars = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      chars[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
    }
    return new String(chars);
  }

  /**
   * Inverse of {@link #toByteString}: byte-level characters back to bytes.
   *
   * @throws IllegalArgumentException for a character outside the byte-level alphabet
   */
  public static byte[] toBytes(CharSequence byteString) {
    byte[] bytes = new byte[byteString.length()];
    for (int i = 0; i < bytes.length; i++) {
      char c = byteString.charAt(i);
      int b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
      if (b < 0) {
        throw new IllegalArgumentException(
            "character U+%04X at %d is not a byte-level character".formatted((int) c, i));
      }
      bytes[i] = (byte) b;
    }
    return bytes;
  }
}
