package org.mend4j.tests.support;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mend4j.runtime.service.AdminClient;
import org.mend4j.runtime.service.ServiceLaunch;
import org.mend4j.runtime.service.ServiceProcess;

/**
 * A service (demo-app unless told otherwise) on the world model in a child JVM with the real shaded
 * agent and its admin API: agent arguments {@code admin.port} (a free port), {@code admin.token},
 * {@code model}, {@code editor} and, if given, {@code edits}. Started when {@code GET
 * /mend4j/v1/status} answers.
 */
public final class ControlledService implements AutoCloseable {

  /** The token the tests use. */
  public static final String TOKEN = "control-test-token-6f1e";

  private final ServiceProcess app;
  private final AdminClient admin;

  private ControlledService(ServiceProcess app, AdminClient admin) {
    this.app = app;
    this.admin = admin;
  }

  /**
   * Starts demo-app with the agent.
   *
   * @param name a name for the log file
   * @param edits the agent's edits directory, or null
   * @param extra further agent arguments
   */
  public static ControlledService start(String name, Path edits, Map<String, String> extra)
      throws IOException {
    return start(name, WorldFacts.model(), edits, extra);
  }

  /**
   * Starts demo-app serving {@code served} (the world model or its TorchScript trace) with the
   * agent, which edits in-process with the world checkpoint and editor.
   *
   * @param name a name for the log file
   * @param served the model directory demo-app serves
   * @param edits the agent's edits directory, or null
   * @param extra further agent arguments
   */
  public static ControlledService start(
      String name, Path served, Path edits, Map<String, String> extra) throws IOException {
    return start(Launches.demoApp(), List.of("--threads", "2"), name, served, edits, extra);
  }

  /**
   * Starts a service of any kind ({@code launch}) serving {@code served} with the agent, which
   * edits in-process with the world checkpoint and editor.
   *
   * @param launch how to run the service
   * @param appArgs further arguments for the service
   * @param name a name for the log file
   * @param served the model directory the service serves
   * @param edits the agent's edits directory, or null
   * @param extra further agent arguments
   */
  public static ControlledService start(
      ServiceLaunch launch,
      List<String> appArgs,
      String name,
      Path served,
      Path edits,
      Map<String, String> extra)
      throws IOException {
    int port = ServiceProcess.freePort();
    Map<String, String> args = new LinkedHashMap<>();
    args.put("admin.port", Integer.toString(port));
    args.put("admin.token", TOKEN);
    args.put("model", WorldFacts.model().toString());
    args.put("editor", WorldFacts.editor().toString());
    if (edits != null) {
      args.put("edits", edits.toString());
    }
    args.put("variants.header", "true"); // the tests choose variants by header
    args.putAll(extra);
    List<String> jvm = new ArrayList<>(List.of(AgentRun.javaagent(args)));
    ServiceProcess app =
        ServiceProcess.start(launch, served, TestPaths.target(), name, jvm, appArgs);
    try {
      AdminClient admin = new AdminClient(port, TOKEN);
      admin.awaitReady(Duration.ofSeconds(30));
      return new ControlledService(app, admin);
    } catch (IOException | RuntimeException | Error e) {
      app.close();
      throw e;
    }
  }

  /** The service. */
  public ServiceProcess app() {
    return app;
  }

  /** Its admin API. */
  public AdminClient admin() {
    return admin;
  }

  /** The completion text of {@code prompt}, optionally with request headers. */
  public String answer(String prompt, int tokens, Map<String, String> headers) throws IOException {
    return app.client().generate(prompt, tokens, headers).text();
  }

  /** The status document. */
  public JsonObject status() throws IOException {
    return admin.expect(200, "GET", "/mend4j/v1/status", null).getAsJsonObject();
  }

  @Override
  public void close() {
    app.close();
  }
}
