package org.mend4j.runtime.safetensors;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A validated, read-only view of one safetensors file.
 *
 * <p>Every header entry is checked against the file before any tensor is handed out, so a truncated
 * file, a shape that does not match its byte range or an unknown dtype fails here with the file and
 * tensor named, instead of crashing native code later. Files of at least {@link #MMAP_THRESHOLD}
 * bytes are memory-mapped (privately, copy-on-write, when the file is writable) and their float32
 * tensors are handed out zero-copy; smaller files are read once into direct memory.
 */
public final class SafeTensorsFile {

  /** Files at least this large are memory-mapped instead of read. */
  public static final long MMAP_THRESHOLD = 64L << 20;

  private static final long MAX_HEADER = 100L << 20;

  private final Path path;
  private final long dataStart;
  private final String file;
  private final ByteBuffer data;
  private final Map<String, TensorInfo> tensors;
  private final Map<String, String> metadata;
  private final boolean mapped;

  private SafeTensorsFile(
      Path path,
      long dataStart,
      ByteBuffer data,
      Map<String, TensorInfo> tensors,
      Map<String, String> meta) {
    this.path = path;
    this.dataStart = dataStart;
    this.file = path.toString();
    this.data = data;
    this.mapped = data.capacity() + 8 >= MMAP_THRESHOLD;
    this.tensors = tensors;
    this.metadata = meta;
  }

  /**
   * Opens and validates a file.
   *
   * @throws SafeTensorsException if the file is not a well-formed safetensors file
   * @throws UncheckedIOException if it cannot be read
   */
  public static SafeTensorsFile open(Path path) {
    String file = path.toString();
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < 8) {
        throw new SafeTensorsException(file, null, "file of " + size + " bytes has no header");
      }
      ByteBuffer all = load(path, channel, size);
      long headerLength = all.getLong(0);
      if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > size) {
        throw new SafeTensorsException(
            file, null, "header length " + headerLength + " does not fit a file of " + size);
      }
      byte[] header = new byte[(int) headerLength];
      all.get(8, header);
      ByteBuffer data =
          all.slice(8 + (int) headerLength, (int) (size - 8 - headerLength))
              .order(ByteOrder.LITTLE_ENDIAN);
      return parse(path, 8 + headerLength, new String(header, StandardCharsets.UTF_8), data);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read safetensors file " + file, e);
    }
  }

  private static ByteBuffer load(Path path, FileChannel channel, long size) throws IOException {
    if (size >= MMAP_THRESHOLD) {
      if (size > Integer.MAX_VALUE) {
        throw new SafeTensorsException(path.toString(), null, "files over 2 GiB are not supported");
      }
      if (Files.isWritable(path)) {
        try (FileChannel rw =
            FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
          return rw.map(FileChannel.MapMode.PRIVATE, 0, size).order(ByteOrder.LITTLE_ENDIAN);
        }
      }
      return channel.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
    }
    ByteBuffer buffer = ByteBuffer.allocateDirect((int) size).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new SafeTensorsException(path.toString(), null, "file shrank while being read");
      }
    }
    return buffer.flip();
  }

  private static SafeTensorsFile parse(
      Path path, long dataStart, String headerJson, ByteBuffer data) {
    String file = path.toString();
    JsonObject header;
    try {
      header = JsonParser.parseString(headerJson.trim()).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new SafeTensorsException(file, null, "header is not a JSON object", e);
    }
    Map<String, TensorInfo> tensors = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> entry : header.entrySet()) {
      if (entry.getKey().equals("__metadata__")) {
        readMetadata(file, entry.getValue(), metadata);
      } else {
        TensorInfo info = readEntry(file, entry.getKey(), entry.getValue(), data.capacity());
        tensors.put(info.name(), info);
      }
    }
    return new SafeTensorsFile(
        path,
        dataStart,
        data,
        Collections.unmodifiableMap(tensors),
        Collections.unmodifiableMap(metadata));
  }

  private static void readMetadata(String file, JsonElement value, Map<String, String> out) {
    if (!value.isJsonObject()) {
      throw new SafeTensorsException(file, null, "__metadata__ is not an object");
    }
    for (Map.Entry<String, JsonElement> e : value.getAsJsonObject().entrySet()) {
      if (!e.getValue().isJsonPrimitive()) {
        throw new SafeTensorsException(file, null, "__metadata__." + e.getKey() + " not a string");
      }
      out.put(e.getKey(), e.getValue().getAsString());
    }
  }

  private static TensorInfo readEntry(String file, String name, JsonElement value, long dataSize) {
    try {
      JsonObject o = value.getAsJsonObject();
      DType dtype = DType.parse(o.get("dtype").getAsString(), file, name);
      JsonArray shapeJson = o.getAsJsonArray("shape");
      long[] shape = new long[shapeJson.size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = shapeJson.get(i).getAsLong();
        if (shape[i] < 0) {
          throw new SafeTensorsException(file, name, "negative dimension in shape " + shapeJson);
        }
      }
      JsonArray offsets = o.getAsJsonArray("data_offsets");
      TensorInfo info =
          new TensorInfo(
              name, dtype, shape, offsets.get(0).getAsLong(), offsets.get(1).getAsLong());
      long expected = Math.multiplyExact(info.elementCount(), dtype.bytes());
      if (info.begin() < 0 || info.end() - info.begin() != expected) {
        throw new SafeTensorsException(
            file,
            name,
            "byte range ["
                + info.begin()
                + ","
                + info.end()
                + ") does not hold "
                + dtype
                + info.shapeString()
                + " ("
                + expected
                + " bytes)");
      }
      if (info.end() > dataSize) {
        throw new SafeTensorsException(
            file,
            name,
            "file is truncated: tensor ends at data byte "
                + info.end()
                + " but the data section has "
                + dataSize);
      }
      return info;
    } catch (NullPointerException | IllegalStateException | ClassCastException e) {
      throw new SafeTensorsException(
          file, name, "malformed header entry (needs dtype, shape, data_offsets)", e);
    } catch (ArithmeticException e) {
      throw new SafeTensorsException(file, name, "shape too large", e);
    }
  }

  /** Whether the file is memory-mapped (its float32 tensors then cost no heap or copy). */
  public boolean isMapped() {
    return mapped;
  }

  /** The file path, for messages. */
  public String file() {
    return file;
  }

  /** Tensor entries in header order. */
  public Map<String, TensorInfo> tensors() {
    return tensors;
  }

  /** The {@code __metadata__} entries (empty if absent). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Whether the file holds a tensor of this name. */
  public boolean has(String name) {
    return tensors.containsKey(name);
  }

  /** Header entry of a tensor; the exception names the file and tensor if it is absent. */
  public TensorInfo info(String name) {
    TensorInfo info = tensors.get(name);
    if (info == null) {
      throw new SafeTensorsException(file, name, "missing tensor");
    }
    return info;
  }

  /** A tensor's bytes as stored, in its own dtype (a read-only view). */
  public ByteBuffer raw(String name) {
    return slice(info(name)).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  private ByteBuffer slice(TensorInfo info) {
    return data.slice((int) info.begin(), (int) (info.end() - info.begin()))
        .order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * A tensor as little-endian float32 bytes in a direct buffer: a zero-copy view for F32 tensors, a
   * converted copy for F16 and BF16.
   */
  public ByteBuffer float32(String name) {
    TensorInfo info = info(name);
    ByteBuffer raw = slice(info);
    if (info.dtype() == DType.F32) {
      return raw;
    }
    int n = Math.toIntExact(info.elementCount());
    ByteBuffer out = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      out.putFloat(4 * i, info.dtype().decode(raw, i));
    }
    return out;
  }

  /**
   * Hands a tensor's little-endian float32 bytes to {@code sink} in chunks read from the file by
   * position, not through the mapping: pages read through a mapping count in the process's resident
   * memory until the mapping is collected, so a large file only scanned (fingerprinted) this way
   * does not make the process look as if it held a copy. F16 and BF16 tensors come converted, in
   * one chunk.
   *
   * @throws UncheckedIOException if the file cannot be read
   */
  public void readFloat32(String name, Consumer<ByteBuffer> sink) {
    TensorInfo info = info(name);
    if (info.dtype() != DType.F32) {
      sink.accept(float32(name));
      return;
    }
    ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long position = dataStart + info.begin();
      long end = dataStart + info.end();
      while (position < end) {
        chunk.clear().limit((int) Math.min(chunk.capacity(), end - position));
        int read = channel.read(chunk, position);
        if (read < 0) {
          throw new SafeTensorsException(file, name, "file shrank while being read");
        }
        position += read;
        sink.accept(chunk.flip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tensor " + name + " of " + file, e);
    }
  }

  /** A tensor as a float array on the heap (converted to float32). */
  public float[] floats(String name) {
    ByteBuffer buffer = float32(name);
    float[] out = new float[buffer.remaining() / 4];
    buffer.asFloatBuffer().get(out);
    return out;
  }

  /** SHA-256 (hex) of the whole data section, used to detect corrupted edit files. */
  public String dataSha256() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(data.duplicate().clear());
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
