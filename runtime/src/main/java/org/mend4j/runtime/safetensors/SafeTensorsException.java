package org.mend4j.runtime.safetensors;

/** A safetensors file that cannot be read as promised; the message names the file and tensor. */
public class SafeTensorsException extends RuntimeException {

  /** Creates an error about one tensor (or the header when {@code tensor} is null) of a file. */
  public SafeTensorsException(String file, String tensor, String problem) {
    super(file + (tensor == null ? "" : ", tensor '" + tensor + "'") + ": " + problem);
  }

  /** Creates an error about one tensor with the underlying cause. */
  public SafeTensorsException(String file, String tensor, String problem, Throwable cause) {
    super(file + (tensor == null ? "" : ", tensor '" + tensor + "'") + ": " + problem, cause);
  }
}
