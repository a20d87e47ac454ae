/*
 * Lets the oneMKL inside libtorch take the kernels it chose for the CPU's instruction set on
 * processors that are not Intel's (see org.mend4j.runtime.engine.MklCpuDispatch for why and when).
 *
 * oneMKL asks mkl_serv_intel_cpu_true() whether to dispatch on the CPU's features or to take its
 * generic code path. libtorch_cpu.so exports that function and calls it through its PLT, so a
 * definition earlier in the process's global symbol scope answers instead. System.load opens this
 * library RTLD_LOCAL; its constructor reopens it RTLD_GLOBAL, so that libtorch, loaded later, binds
 * to this definition.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <jni.h>
#include <stdatomic.h>

static atomic_int answered;

/* oneMKL's question: dispatch on the CPU's features (1) or take the generic path (0). */
int mkl_serv_intel_cpu_true(void) {
  atomic_fetch_add(&answered, 1);
  return 1;
}

__attribute__((constructor)) static void join_global_scope(void) {
  Dl_info self;
  if (dladdr((void *)&mkl_serv_intel_cpu_true, &self) && self.dli_fname != NULL) {
    dlopen(self.dli_fname, RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD);
  }
}

/*
 * How many times oneMKL asked, so far: 0 means this definition is not the one it binds to. Defined
 * for MklCpuDispatch where the runtime has it and where the agent's jar relocates it.
 */
#define ANSWERED(name)                                                                            \
  JNIEXPORT jint JNICALL name(JNIEnv *env, jclass type) {                                         \
    (void)env;                                                                                    \
    (void)type;                                                                                   \
    return atomic_load(&answered);                                                                \
  }
ANSWERED(Java_org_mend4j_runtime_engine_MklCpuDispatch_answeredNative)
ANSWERED(Java_org_mend4j_shaded_runtime_engine_MklCpuDispatch_answeredNative)
