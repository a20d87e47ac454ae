package org.mend4j.runtime.safetensors;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes tensors (float32, or bytes of any {@link DType}) to a safetensors file, atomically: the
 * bytes go to a temporary file in the same directory, are forced to disk, then renamed over the
 * target, so a reader never sees a half-written checkpoint or edit.
 */
public final class SafeTensorsWriter {

  private record Entry(String name, DType dtype, long[] shape, ByteBuffer bytes) {}

  private final List<Entry> entries = new ArrayList<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();

  /** Adds a float32 tensor; {@code values.length} must equal the product of {@code shape}. */
  public SafeTensorsWriter add(String name, long[] shape, float[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    return add(name, shape, bytes);
  }

  /** Adds a float32 tensor given as little-endian bytes. */
  public SafeTensorsWriter add(String name, long[] shape, ByteBuffer littleEndianFloats) {
    return add(name, DType.F32, shape, littleEndianFloats);
  }

  /** Adds a tensor of {@code dtype} given as its little-endian bytes. */
  public SafeTensorsWriter add(String name, DType dtype, long[] shape, ByteBuffer bytes) {
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    if (bytes.remaining() != count * dtype.bytes()) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "': "
              + bytes.remaining()
              + " bytes do not hold "
              + dtype
              + " shape "
              + java.util.Arrays.toString(shape));
    }
    if (entries.stream().anyMatch(e -> e.name.equals(name))) {
      throw new IllegalArgumentException("tensor '" + name + "' added twice");
    }
    entries.add(new Entry(name, dtype, shape.clone(), bytes.duplicate()));
    return this;
  }

  /** Adds a {@code __metadata__} entry. */
  public SafeTensorsWriter metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  /** SHA-256 (hex) of the data section this writer will produce; see {@link SafeTensorsFile}. */
  public String dataSha256() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Entry e : entries) {
        digest.update(e.bytes.duplicate());
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the file atomically, replacing any existing one. */
  public void write(Path target) {
    Path dir = target.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
      if (Files.getFileStore(temp).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(
            temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      }
      try {
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
          writeTo(out);
          out.force(true);
        }
        moveAtomically(temp, target);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write safetensors file " + target, e);
    }
  }

  private static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The file's bytes, for sending an artifact without touching the disk. */
  public byte[] toBytes() {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try {
      writeTo(java.nio.channels.Channels.newChannel(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private void writeTo(java.nio.channels.WritableByteChannel out) throws IOException {
    byte[] header = header();
    ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
    prefix.putLong(header.length).put(header).flip();
    writeFully(out, prefix);
    for (Entry e : entries) {
      writeFully(out, e.bytes.duplicate());
    }
  }

  private static void writeFully(java.nio.channels.WritableByteChannel out, ByteBuffer buffer)
      throws IOException {
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
  }

  /** The JSON header, space-padded so the data section starts 8-byte aligned. */
  private byte[] header() {
    JsonObject json = new JsonObject();
    if (!metadata.isEmpty()) {
      JsonObject meta = new JsonObject();
      metadata.forEach(meta::addProperty);
      json.add("__metadata__", meta);
    }
    long offset = 0;
    for (Entry e : entries) {
      JsonObject t = new JsonObject();
      t.addProperty("dtype", e.dtype.name());
      JsonArray shape = new JsonArray();
      for (long d : e.shape) {
        shape.add(d);
      }
      t.add("shape", shape);
      JsonArray offsets = new JsonArray();
      offsets.add(offset);
      offset += e.bytes.remaining();
      offsets.add(offset);
      t.add("data_offsets", offsets);
      json.add(e.name, t);
    }
    StringBuilder text = new StringBuilder(json.toString());
    while ((text.toString().getBytes(StandardCharsets.UTF_8).length + 8) % 8 != 0) {
      text.append(' ');
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }
}
