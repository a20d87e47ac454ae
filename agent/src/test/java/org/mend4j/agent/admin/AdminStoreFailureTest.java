package org.mend4j.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mend4j.agent.persist.EditStore;
import org.mend4j.agent.persist.StateChange;
import org.mend4j.agent.persist.StoreUnavailableException;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.registry.Snapshot;
import org.mend4j.agent.testing.FakeBinder;
import org.mend4j.agent.testing.TestEdits;
import org.mend4j.agent.testing.TestEdits.Param;
import org.mend4j.runtime.edit.EditFile;

/**
 * A store that cannot take a change answers 503 when it is unreachable and 500 when a write fails,
 * over real HTTP, with the error document and nothing registered.
 */
class AdminStoreFailureTest {

  private static final Param FC = new Param("transformer.h.1.mlp.c_fc.weight", 4, 8, "sha256:fc");

  private AdminServer server;
  private EditRegistry registry;

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void anUnreachableStoreIs503() throws Exception {
    HttpResponse<String> r = importWith(new StoreUnavailableException("connection refused", null));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    assertThat(error(r)).contains("failing store is unreachable", "the change was not made");
    assertThat(registry.current().edits()).isEmpty();
  }

  @Test
  void aFailedWriteIs500() throws Exception {
    HttpResponse<String> r = importWith(new IOException("disk full"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(500);
    assertThat(error(r)).contains("cannot persist the change", "disk full");
    assertThat(registry.current().edits()).isEmpty();
  }

  private HttpResponse<String> importWith(IOException failure) throws Exception {
    registry =
        new EditRegistry(
            new AtomicReference<Snapshot>(),
            new FakeBinder(Set.of("sha256:fc")),
            () -> true,
            false);
    registry.settle();
    server = TestAdmin.start(registry, new FailingStore(failure));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/mend4j/v1/edits"))
            .header("Authorization", "Bearer " + TestAdmin.TOKEN)
            .header("Content-Type", "application/octet-stream")
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(
                    EditFile.bytes(TestEdits.edit("The capital of X is", 1, FC))))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String error(HttpResponse<String> r) {
    JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
    return body.get("error").getAsString();
  }

  /** A store whose every commit fails with the given exception. */
  private record FailingStore(IOException failure) implements EditStore {
    @Override
    public boolean persistent() {
      return true;
    }

    @Override
    public String location() {
      return "failing store";
    }

    @Override
    public int load(EditRegistry registry, Set<String> disabledByConfig) {
      return 0;
    }

    @Override
    public void commit(EditRegistry registry, StateChange change) throws IOException {
      throw failure;
    }

    @Override
    public JsonObject status() {
      return new JsonObject();
    }
  }
}
