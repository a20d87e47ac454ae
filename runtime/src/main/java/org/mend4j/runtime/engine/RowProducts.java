package org.mend4j.runtime.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The one-row products that decoding makes with every weight, each weight read once in address
 * order: {@code x W + b} with {@code W} laid out {@code [in, out]} (GPT-2's Conv1D) and {@code x
 * E^T} with {@code E} laid out {@code [rows, in]} (the tied head, {@code wte}). The CLI applies it
 * before a command runs ({@code -Dmend4j.row.products=false} turns it off); the agent never does,
 * as its host computes its own products.
 *
 * <p>Decoding one token of GPT-2 small reads its 505 MB of weights once, so it cannot be faster
 * than that many bytes at the machine's read bandwidth. libtorch makes each of these products one
 * oneMKL {@code SGEMM} with one column, and the head goes through the transposed view of {@code
 * wte}. On an AMD EPYC (Zen 4), one core, {@code bench gpt2} measured those products at 19 GB/s of
 * weights read, where a sum over a large array reads at 31 to 33. The two loops here, in a native
 * library built with the runtime ({@code src/main/native/row_products.c}), read each weight once,
 * in address order: eight rows of {@code W} at a time, or one dot product per row of {@code E}. The
 * products then read at 21 GB/s, mostly because the head does, at about twice libtorch's rate, and
 * decoding was 1.04 to 1.11 times as fast; with the padded matrices read through their buffers too,
 * and {@link RowAttention}, 24 GB/s and 1.19 times (the README's interleaved runs).
 *
 * <p>They apply only where nothing records a gradient (they are not autograd ops), to float32
 * arrays on the CPU whose input is one row and whose weight has at least {@link
 * #MIN_WEIGHT_FLOATS}; everywhere else the caller keeps libtorch's product. The weights must be
 * contiguous, as loaded ones are: DJL would otherwise hand this class a contiguous copy, kept in
 * the weight's manager, on every call. A matrix served as a view of a padded buffer ({@code
 * Gpt2Weights}' matrices with rows a multiple of 4 KiB) is therefore read through that buffer and
 * its row stride, never through the view.
 */
public final class RowProducts {

  /** The system property that turns it off with {@code false}. */
  public static final String PROPERTY = "mend4j.row.products";

  /**
   * The smallest weight (in floats, 2 MiB) these products take: GPT-2 small's {@code [768, 768]}
   * and larger. A smaller one is read from the caches, where libtorch's product is as fast, and the
   * native path costs about a dozen more JNI calls a product, so the demo model (192 wide) keeps
   * libtorch's products.
   */
  public static final long MIN_WEIGHT_FLOATS = 1 << 19;

  private static final NativeLibrary LIBRARY =
      new NativeLibrary("libmend4j-row-products.so", "libtorch makes every product");

  private RowProducts() {}

  /**
   * Loads the library once per process on Linux x86-64 unless the user turned it off; a failure is
   * logged and leaves every product to libtorch.
   *
   * @return why the library is not loaded, or empty once it is
   */
  public static Optional<String> apply() {
    return LIBRARY.loadUnless(RowProducts::reasonToSkip);
  }

  /** Why this process leaves every product to libtorch, or empty if it should not. */
  static Optional<String> reasonToSkip() {
    return NativeLibrary.reasonToSkip(PROPERTY);
  }

  /** Whether this process loaded the library. */
  public static boolean loaded() {
    return LIBRARY.loaded();
  }

  /**
   * {@code x weight + bias} for an input of one row ({@code [..., in]}, all leading sizes 1) and a
   * {@code weight} of {@code [in, out]}, in {@code x}'s manager; empty where this class does not
   * apply (see the class's javadoc) and the caller's own product should run.
   */
  public static Optional<NDArray> timesMatrix(NDArray x, NDArray weight, NDArray bias) {
    return timesMatrix(x, weight, lastSize(weight), bias);
  }

  /**
   * {@code x weight + bias} for a {@code weight} of {@code [in, columns]} held as the leading
   * columns of {@code storage}, {@code [in, stride]} (a padded matrix's buffer), read in place.
   */
  public static Optional<NDArray> timesMatrix(
      NDArray x, NDArray storage, long columns, NDArray bias) {
    Shape shape = storage.getShape();
    if (!applies(x, storage, shape, columns) || shape.get(0) != x.size()) {
      return Optional.empty();
    }
    int in = (int) shape.get(0);
    int out = (int) columns;
    if (bias != null && (!applies(bias) || bias.size() != out)) {
      return Optional.empty();
    }
    NDArray y = result(x, out);
    timesMatrixNative(
        buffer(x),
        buffer(storage),
        bias == null ? null : buffer(bias),
        buffer(y),
        in,
        out,
        (int) shape.get(1));
    return Optional.of(y);
  }

  /**
   * {@code x rows^T} for an input of one row ({@code [..., in]}, all leading sizes 1) and {@code
   * rows} of {@code [count, in]}, in {@code x}'s manager; empty where this class does not apply.
   */
  public static Optional<NDArray> timesRowsOf(NDArray x, NDArray rows) {
    return timesRowsOf(x, rows, lastSize(rows));
  }

  /**
   * {@code x rows^T} for {@code rows} of {@code [count, in]} held as the leading {@code in} floats
   * of the rows of {@code storage}, {@code [count, stride]} (a padded matrix's buffer).
   */
  public static Optional<NDArray> timesRowsOf(NDArray x, NDArray storage, long in) {
    Shape shape = storage.getShape();
    if (!applies(x, storage, shape, in) || in != x.size()) {
      return Optional.empty();
    }
    int count = (int) shape.get(0);
    NDArray y = result(x, count);
    timesRowsNative(buffer(x), buffer(storage), buffer(y), count, (int) in, (int) shape.get(1));
    return Optional.of(y);
  }

  /** The size of an array's last dimension; 0 for a scalar, which no product here takes. */
  private static long lastSize(NDArray array) {
    Shape shape = array.getShape();
    return shape.dimension() == 0 ? 0 : shape.get(shape.dimension() - 1);
  }

  /** Whether a product of {@code x} with the leading {@code columns} of {@code storage} applies. */
  private static boolean applies(NDArray x, NDArray storage, Shape shape, long columns) {
    return LIBRARY.loaded()
        && shape.dimension() == 2
        && columns <= shape.get(1)
        && shape.get(0) * columns >= MIN_WEIGHT_FLOATS
        && !JniUtils.isGradMode()
        && x.getShape().dimension() >= 1
        && x.getShape().get(x.getShape().dimension() - 1) == x.size()
        && applies(x)
        && applies(storage);
  }

  private static boolean applies(NDArray array) {
    return array.getDataType() == DataType.FLOAT32
        && Device.cpu().equals(array.getDevice())
        && !array.isSparse();
  }

  /** An uninitialized float32 array shaped as {@code x} with its last size {@code size}. */
  private static NDArray result(NDArray x, int size) {
    long[] dims = x.getShape().getShape().clone(); // Shape hands out its own array
    dims[dims.length - 1] = size;
    return x.getManager().create(new Shape(dims), DataType.FLOAT32);
  }

  private static ByteBuffer buffer(NDArray array) {
    return array.toByteBuffer(true);
  }

  private static native void timesMatrixNative(
      ByteBuffer x, ByteBuffer weight, ByteBuffer bias, ByteBuffer y, int in, int out, int stride);

  private static native void timesRowsNative(
      ByteBuffer x, ByteBuffer rows, ByteBuffer y, int count, int in, int stride);
}
