package org.mend4j.agent.persist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditFile;

/**
 * Reads an edit file held in memory (an upload, a database row) with the same checks as one on disk
 * ({@link EditFile#read}: digests, id against content, finite values), through a private temporary
 * file.
 */
public final class EditBytes {

  private EditBytes() {}

  /**
   * Reads and verifies an edit file's bytes.
   *
   * @param bytes the file's bytes
   * @param what what the bytes are, used in messages in place of the temporary file's path
   * @throws IOException if the temporary file cannot be written
   * @throws IllegalArgumentException naming {@code what} if it is not a valid, intact edit file
   */
  public static Edit read(byte[] bytes, String what) throws IOException {
    Path tmp = Files.createTempFile("mend4j-edit-", EditFile.SUFFIX);
    try {
      Files.write(tmp, bytes);
      return EditFile.read(tmp);
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      throw new IllegalArgumentException(message.replace(tmp.toString(), what), e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        // a temporary file left behind is harmless
      }
    }
  }
}
