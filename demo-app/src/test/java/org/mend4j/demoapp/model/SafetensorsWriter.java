package org.mend4j.demoapp.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes small {@code .safetensors} files for tests: raw little-endian bytes per tensor. */
final class SafetensorsWriter {

  private record Tensor(String dtype, long[] shape, byte[] data) {}

  private final Map<String, Tensor> tensors = new LinkedHashMap<>();

  SafetensorsWriter f32(String name, float[] values, long... shape) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      buffer.putFloat(v);
    }
    return raw(name, "F32", buffer.array(), shape);
  }

  SafetensorsWriter raw(String name, String dtype, byte[] data, long... shape) {
    tensors.put(name, new Tensor(dtype, shape, data));
    return this;
  }

  void write(Path file) throws IOException {
    JsonObject header = new JsonObject();
    JsonObject metadata = new JsonObject();
    metadata.addProperty("format", "pt");
    header.add("__metadata__", metadata);
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      JsonObject info = new JsonObject();
      info.addProperty("dtype", e.getValue().dtype());
      JsonArray shape = new JsonArray();
      for (long d : e.getValue().shape()) {
        shape.add(d);
      }
      info.add("shape", shape);
      JsonArray offsets = new JsonArray();
      offsets.add(data.size());
      data.write(e.getValue().data());
      offsets.add(data.size());
      info.add("data_offsets", offsets);
      header.add(e.getKey(), info);
    }
    byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    length.putLong(headerBytes.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(length.array());
    out.write(headerBytes);
    out.write(data.toByteArray());
    Files.write(file, out.toByteArray());
  }
}
