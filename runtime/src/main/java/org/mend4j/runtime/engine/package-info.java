/**
 * How the native engine runs in this process, below DJL: settings that must be made before its
 * first operation and hold for the whole process, such as which of oneMKL's kernels libtorch's
 * products take ({@link org.mend4j.runtime.engine.MklCpuDispatch}), and kernels of the runtime's
 * own where libtorch's leave the machine idle ({@link org.mend4j.runtime.engine.RowProducts}).
 * Their native libraries are built with the runtime from {@code src/main/native}.
 */
package org.mend4j.runtime.engine;
