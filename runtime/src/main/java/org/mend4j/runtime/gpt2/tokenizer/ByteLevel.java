package org.mend4j.runtime.gpt2.tokenizer;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPT-2's byte-level alphabet and pre-tokenizer, exactly as GPT-2's {@code encoder.py} and the HF
 * {@code ByteLevel} pre-tokenizer define them.
 *
 * <p>Every byte maps to one printable character so that BPE works on strings without white space or
 * control characters while any byte sequence round-trips: the 188 bytes that are printable Latin-1
 * ({@code !..~}, {@code ¡..¬}, {@code ®..ÿ}) map to themselves, the other 68 map to {@code U+0100}
 * upwards in byte order (so the space byte 32 becomes {@code Ġ}). {@link #byteOrder()} is GPT-2's:
 * token ids 0..255 of every GPT-2 vocabulary are these byte tokens in this order (id 220 is {@code
 * Ġ}).
 */
public final class ByteLevel {

  /**
   * GPT-2's pre-tokenizer pattern. {@code UNICODE_CHARACTER_CLASS} makes {@code \s} match Unicode
   * white space, as Python's {@code regex} and the Rust {@code tokenizers} crate do.
   */
  private static final Pattern PRETOKENIZER =
      Pattern.compile(
          "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
          Pattern.UNICODE_CHARACTER_CLASS);

  private static final int[] BYTE_ORDER = new int[256];
  private static final char[] BYTE_TO_CHAR = new char[256];
  private static final int[] CHAR_TO_BYTE = new int[512];

  static {
    Arrays.fill(CHAR_TO_BYTE, -1);
    boolean[] printable = new boolean[256];
    int extra = 0;
    for (int b = 0; b < 256; b++) {
      printable[b] = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
      BYTE_TO_CHAR[b] = printable[b] ? (char) b : (char) (256 + extra++);
      CHAR_TO_BYTE[BYTE_TO_CHAR[b]] = b;
    }
    int id = 0;
    for (boolean printableFirst : new boolean[] {true, false}) {
      for (int b = 0; b < 256; b++) {
        if (printable[b] == printableFirst) {
          BYTE_ORDER[id++] = b;
        }
      }
    }
  }

  private ByteLevel() {}

  /**
   * The 256 byte values in GPT-2's token order: {@code byteOrder()[id]} is the byte of token id.
   */
  public static int[] byteOrder() {
    return BYTE_ORDER.clone();
  }

  /** The printable character that stands for byte {@code b} (its low 8 bits). */
  public static char charOf(int b) {
    return BYTE_TO_CHAR[b & 0xFF];
  }

  /** The byte-level string of {@code bytes}: each byte as its one character. */
  public static String encode(byte[] bytes) {
    char[] out = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
    }
    return new String(out);
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

  /**
   * Appends the bytes a token string stands for; false, with nothing appended, if it holds a
   * character outside the byte alphabet (HF's ByteLevel decoder then takes the token's own text).
   */
  static boolean decode(String token, ByteArrayOutputStream out) {
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
