/**
 * How the native engine runs in this process, below DJL: settings that must be made before its
 * first operation and hold for the whole process, such as which of oneMKL's kernels libtorch's
 * products take ({@link org.mend4j.runtime.engine.MklCpuDispatch}).
 */
package org.mend4j.runtime.engine;
