package org.mend4j.demoapp.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads tensors from a {@code .safetensors} file as float32 {@link NDArray}s.
 *
 * <p>The format is an 8-byte little-endian header length, a JSON header naming each tensor's dtype,
 * shape and byte range, then the raw data. Tensors are read one at a time into direct buffers that
 * the engine uses without another copy. F16 and BF16 tensors are widened to F32 (BF16 in Java,
 * since BF16 arrays are not safe on this engine).
 */
public final class SafetensorsFile implements Closeable {

  private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  private final Path file;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, Entry> entries;

  private record Entry(String dtype, Shape shape, long begin, long end) {}

  private SafetensorsFile(Path file, FileChannel channel, long dataStart, Map<String, Entry> map) {
    this.file = file;
    this.channel = channel;
    this.dataStart = dataStart;
    this.entries = map;
  }

  /**
   * Opens a file and parses its header.
   *
   * @param file the {@code .safetensors} file
   * @return the open file
   * @throws IOException if the file cannot be read or its header is malformed
   */
  public static SafetensorsFile open(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      ByteBuffer lengthBytes = readFully(channel, 0, 8, file);
      long headerLength = lengthBytes.order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES) {
        throw new IOException(file + ": implausible safetensors header length " + headerLength);
      }
      ByteBuffer header = readFully(channel, 8, (int) headerLength, file);
      long dataStart = 8 + headerLength;
      Map<String, Entry> entries =
          parseHeader(StandardCharsets.UTF_8.decode(header).toString(), file);
      long dataLength = channel.size() - dataStart;
      for (Map.Entry<String, Entry> e : entries.entrySet()) {
        if (e.getValue().end() > dataLength) {
          throw new IOException(
              file + ": tensor '" + e.getKey() + "' ends beyond the file (truncated?)");
        }
      }
      return new SafetensorsFile(file, channel, dataStart, entries);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** The file's path, for messages. */
  public Path path() {
    return file;
  }

  /** Names of the tensors in the file. */
  public Set<String> names() {
    return entries.keySet();
  }

  /** Shape of a tensor, without reading its data. */
  public Shape shape(String name) {
    return entry(name).shape();
  }

  /**
   * Reads one tensor as float32.
   *
   * @param name the tensor's name in the file
   * @param manager the manager that owns the new array
   * @return the tensor
   * @throws IOException if its data cannot be read or its dtype is not supported
   */
  public NDArray load(String name, NDManager manager) throws IOException {
    Entry entry = entry(name);
    ByteBuffer data =
        readFully(
            channel, dataStart + entry.begin(), Math.toIntExact(entry.end() - entry.begin()), file);
    switch (entry.dtype()) {
      case "F32":
        return manager.create(data, entry.shape(), DataType.FLOAT32);
      case "F16":
        try (NDArray half = manager.create(data, entry.shape(), DataType.FLOAT16)) {
          return half.toType(DataType.FLOAT32, true);
        }
      case "BF16":
        return manager.create(bf16ToF32(data), entry.shape(), DataType.FLOAT32);
      default:
        throw new IOException(
            file + ": tensor '" + name + "' has unsupported dtype " + entry.dtype());
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private Entry entry(String name) {
    Entry entry = entries.get(name);
    if (entry == null) {
      throw new IllegalArgumentException(file + ": no tensor named '" + name + "'");
    }
    return entry;
  }

  private static Map<String, Entry> parseHeader(String text, Path file) throws IOException {
    Map<String, Entry> entries = new HashMap<>();
    try {
      JsonObject header = JsonParser.parseString(text).getAsJsonObject();
      for (Map.Entry<String, JsonElement> e : header.entrySet()) {
        if (e.getKey().equals("__metadata__")) {
          continue;
        }
        JsonObject info = e.getValue().getAsJsonObject();
        String dtype = info.get("dtype").getAsString();
        JsonArray dims = info.getAsJsonArray("shape");
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = dims.get(i).getAsLong();
        }
        JsonArray offsets = info.getAsJsonArray("data_offsets");
        Entry entry =
            new Entry(
                dtype, new Shape(shape), offsets.get(0).getAsLong(), offsets.get(1).getAsLong());
        long bytes = entry.shape().size() * bytesPerElement(dtype);
        if (bytes >= 0 && entry.end() - entry.begin() != bytes) {
          throw new IOException(
              file
                  + ": tensor '"
                  + e.getKey()
                  + "' has "
                  + (entry.end() - entry.begin())
                  + " bytes, its shape "
                  + entry.shape()
                  + " of "
                  + dtype
                  + " needs "
                  + bytes);
        }
        entries.put(e.getKey(), entry);
      }
    } catch (JsonParseException | IllegalStateException | NullPointerException e) {
      throw new IOException(file + ": malformed safetensors header: " + e.getMessage(), e);
    }
    return entries;
  }

  /** Bytes per element, or -1 for a dtype this reader does not convert (rejected on load). */
  private static long bytesPerElement(String dtype) {
    switch (dtype) {
      case "F32":
        return 4;
      case "F16":
      case "BF16":
        return 2;
      default:
        return -1;
    }
  }

  private static ByteBuffer bf16ToF32(ByteBuffer bf16) {
    int n = bf16.remaining() / 2;
    ByteBuffer out = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder());
    bf16.order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      out.putInt((bf16.getShort() & 0xFFFF) << 16);
    }
    return out.flip();
  }

  private static ByteBuffer readFully(FileChannel channel, long position, int length, Path file)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(length).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new EOFException(file + ": unexpected end of file at byte " + position);
      }
    }
    return buffer.flip();
  }
}
