/*
 * One query row of GPT-2's causal self-attention against its KV cache, for decoding without
 * autograd (see org.mend4j.runtime.engine.RowAttention for why): the row's key and value are
 * written into the cache at its position, then every head attends over the positions up to it.
 * Built into the row products' library, for AVX-512, AVX2 and plain x86-64 as they are.
 */
#include <jni.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define KERNEL __attribute__((target_clones("avx512f", "avx2", "default")))

/* Scores and the scaled query fit on the stack up to this many floats (GPT-2's context is 1024). */
enum { STACK_FLOATS = 4096 };

/*
 * qkv: [3 * heads * dim], the row's query, key and value, head after head (c_attn's output);
 * keys, values: [heads, capacity, dim]; out: [heads * dim], the heads' outputs side by side.
 * scratch: position + 1 + dim floats.
 */
KERNEL static void attend(const float *restrict qkv, float *restrict keys,
                          float *restrict values, float *restrict out, int heads, int dim,
                          int capacity, int position, float scale, float *restrict scratch) {
  int width = heads * dim;
  float *restrict scores = scratch;
  float *restrict query = scratch + position + 1;
  for (int h = 0; h < heads; h++) {
    float *restrict head_keys = keys + (size_t)h * capacity * dim;
    float *restrict head_values = values + (size_t)h * capacity * dim;
    memcpy(head_keys + (size_t)position * dim, qkv + width + h * dim, sizeof(float) * dim);
    memcpy(head_values + (size_t)position * dim, qkv + 2 * width + h * dim, sizeof(float) * dim);
    for (int d = 0; d < dim; d++) {
      query[d] = qkv[h * dim + d] * scale; /* as the model scales the query, not the scores */
    }
    float max = -INFINITY;
    for (int t = 0; t <= position; t++) {
      const float *restrict key = head_keys + (size_t)t * dim;
      float score = 0;
#pragma omp simd reduction(+ : score)
      for (int d = 0; d < dim; d++) {
        score += query[d] * key[d];
      }
      scores[t] = score;
      max = score > max ? score : max;
    }
    float total = 0;
    for (int t = 0; t <= position; t++) {
      scores[t] = expf(scores[t] - max);
      total += scores[t];
    }
    float *restrict head_out = out + h * dim;
    memset(head_out, 0, sizeof(float) * dim);
    for (int t = 0; t <= position; t++) {
      const float *restrict value = head_values + (size_t)t * dim;
      float weight = scores[t] / total;
      for (int d = 0; d < dim; d++) {
        head_out[d] += weight * value[d];
      }
    }
  }
}

static float *address(JNIEnv *env, jobject buffer) {
  return (float *)(*env)->GetDirectBufferAddress(env, buffer);
}

JNIEXPORT jboolean JNICALL Java_org_mend4j_runtime_engine_RowAttention_attendNative(
    JNIEnv *env, jclass type, jobject qkv, jobject keys, jobject values, jobject out, jint heads,
    jint dim, jint capacity, jint position, jfloat scale) {
  (void)type;
  size_t floats = (size_t)position + 1 + (size_t)dim;
  float stack[STACK_FLOATS];
  float *scratch = floats <= STACK_FLOATS ? stack : malloc(sizeof(float) * floats);
  if (scratch == NULL) {
    return JNI_FALSE;
  }
  attend(address(env, qkv), address(env, keys), address(env, values), address(env, out), heads,
         dim, capacity, position, scale, scratch);
  if (scratch != stack) {
    free(scratch);
  }
  return JNI_TRUE;
}
