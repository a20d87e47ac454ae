package org.mend4j.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminAuthTest {

  @TempDir Path dir;

  @Test
  void acceptsOnlyTheBearerToken() {
    AdminAuth auth = new AdminAuth("s3cret-token");
    assertThat(auth.accepts("Bearer s3cret-token")).isTrue();
    assertThat(auth.accepts("bearer s3cret-token ")).as("scheme is case-insensitive").isTrue();
    assertThat(auth.accepts(null)).isFalse();
    assertThat(auth.accepts("")).isFalse();
    assertThat(auth.accepts("Bearer")).isFalse();
    assertThat(auth.accepts("Bearer ")).isFalse();
    assertThat(auth.accepts("Bearer s3cret-toke")).isFalse();
    assertThat(auth.accepts("Bearer s3cret-token2")).isFalse();
    assertThat(auth.accepts("Basic s3cret-token")).isFalse();
    assertThat(auth.accepts("s3cret-token")).isFalse();
    assertThatThrownBy(() -> new AdminAuth("")).hasMessageContaining("empty");
  }

  @Test
  void aGeneratedTokenIsWrittenReadableByItsOwnerOnly() throws Exception {
    String token = AdminToken.generate();
    assertThat(token).hasSize(64).matches("[0-9a-f]+").isNotEqualTo(AdminToken.generate());
    Path file = dir.resolve("admin.token");
    Files.writeString(file, "old");
    AdminToken.write(file, token);
    assertThat(Files.readString(file).strip()).isEqualTo(token);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(AdminToken.defaultFile().getFileName().toString())
        .isEqualTo("mend4j-admin-" + ProcessHandle.current().pid() + ".token");
  }
}
