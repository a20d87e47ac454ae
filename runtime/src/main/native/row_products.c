/*
 * One-row float32 products for decoding without autograd (see org.mend4j.runtime.engine.RowProducts
 * for why): y = x W + b with W laid out [in, out] (HF Conv1D), and y = E x with E laid out
 * [rows, in] (the tied LM head, wte). Both read each weight byte once, in address order, in a few
 * long streams the hardware prefetchers follow. A matrix's rows may lie further apart than they are
 * long (stride, in floats), as in the padded buffers of org.mend4j.runtime.gpt2.RowPadding. gcc builds each function for AVX-512, AVX2 and
 * plain x86-64; the dynamic loader picks the one the CPU runs.
 */
#include <jni.h>
#include <stddef.h>
#include <string.h>

#define KERNEL __attribute__((target_clones("avx512f", "avx2", "default")))

/* Rows of W taken together: each pass over y reads 8 streams of W and y once from L1. */
enum { ROWS_AT_ONCE = 8 };

KERNEL static void times_matrix(const float *restrict x, const float *restrict w,
                                const float *restrict bias, float *restrict y, int in, int out,
                                int stride) {
  if (bias != NULL) {
    memcpy(y, bias, sizeof(float) * (size_t)out);
  } else {
    memset(y, 0, sizeof(float) * (size_t)out);
  }
  int i = 0;
  for (; i + ROWS_AT_ONCE <= in; i += ROWS_AT_ONCE) {
    const float *restrict block = w + (size_t)i * stride;
    const float *restrict xs = x + i;
    for (int j = 0; j < out; j++) {
      float sum = y[j];
#pragma GCC unroll 8
      for (int r = 0; r < ROWS_AT_ONCE; r++) {
        sum += xs[r] * block[(size_t)r * stride + j];
      }
      y[j] = sum;
    }
  }
  for (; i < in; i++) {
    const float *restrict row = w + (size_t)i * stride;
    for (int j = 0; j < out; j++) {
      y[j] += x[i] * row[j];
    }
  }
}

KERNEL static void times_rows(const float *restrict x, const float *restrict e,
                              float *restrict y, int rows, int in, int stride) {
  for (int v = 0; v < rows; v++) {
    const float *restrict row = e + (size_t)v * stride;
    float sum = 0;
#pragma omp simd reduction(+ : sum)
    for (int k = 0; k < in; k++) {
      sum += row[k] * x[k];
    }
    y[v] = sum;
  }
}

static const float *address(JNIEnv *env, jobject buffer) {
  return buffer == NULL ? NULL : (const float *)(*env)->GetDirectBufferAddress(env, buffer);
}

JNIEXPORT void JNICALL Java_org_mend4j_runtime_engine_RowProducts_timesMatrixNative(
    JNIEnv *env, jclass type, jobject x, jobject w, jobject bias, jobject y, jint in, jint out,
    jint stride) {
  (void)type;
  times_matrix(address(env, x), address(env, w), address(env, bias), (float *)address(env, y), in,
               out, stride);
}

JNIEXPORT void JNICALL Java_org_mend4j_runtime_engine_RowProducts_timesRowsNative(
    JNIEnv *env, jclass type, jobject x, jobject e, jobject y, jint rows, jint in, jint stride) {
  (void)type;
  times_rows(address(env, x), address(env, e), (float *)address(env, y), rows, in, stride);
}
