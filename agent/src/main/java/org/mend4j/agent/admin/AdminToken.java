package org.mend4j.agent.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The admin token: the configured one ({@code admin.token}, {@code MEND4J_ADMIN_TOKEN}), or a
 * random one written to a file only its owner can read ({@code 0600}), whose path is logged (never
 * the token).
 */
public final class AdminToken {

  private AdminToken() {}

  /** 32 random bytes, hex. */
  public static String generate() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return HexFormat.of().formatHex(secret);
  }

  /** The default token file: {@code java.io.tmpdir/mend4j-admin-PID.token}. */
  public static Path defaultFile() {
    return Path.of(
        System.getProperty("java.io.tmpdir"),
        "mend4j-admin-" + ProcessHandle.current().pid() + ".token");
  }

  /**
   * Writes {@code token} to {@code file}, readable and writable by its owner only, replacing any
   * file there (the file is created with those permissions, never widened afterwards).
   */
  public static void write(Path file, String token) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Files.deleteIfExists(file);
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
      file.toFile().setReadable(false, false);
      file.toFile().setWritable(false, false);
      file.toFile().setReadable(true, true);
      file.toFile().setWritable(true, true);
    } catch (FileAlreadyExistsException e) {
      throw new IOException("token file " + file + " appeared while it was being replaced", e);
    }
    Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
  }
}
