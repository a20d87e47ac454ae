package org.mend4j.runtime.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mend4j.runtime.service.AdminClient;
import org.mend4j.runtime.service.JavaAgent;
import org.mend4j.runtime.service.ServiceClient;
import org.mend4j.runtime.service.ServiceLaunch;
import org.mend4j.runtime.service.ServiceProcess;

/**
 * demo-app running in a child JVM with the mend4j agent, on loopback, started as the end-to-end
 * tests start it ({@link ServiceProcess}): its {@code /generate} API and the agent's admin API,
 * with a fresh admin token.
 */
record ServiceUnderDemo(ServiceProcess app, AdminClient admin) implements AutoCloseable {

  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Starts demo-app serving {@code served} with the agent, which edits in-process with {@code
   * model} and {@code editor}, and waits until it serves and its admin API answers.
   *
   * @throws IOException if a jar is missing, or the service does not come up
   */
  static ServiceUnderDemo start(Path home, Path served, Path model, Path editor, Path workDir)
      throws IOException {
    int adminPort = ServiceProcess.freePort();
    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    String token = HexFormat.of().formatHex(secret);
    Map<String, String> agent = new LinkedHashMap<>();
    agent.put("admin.port", "" + adminPort);
    agent.put("admin.token", token);
    agent.put("model", model.toAbsolutePath().toString());
    agent.put("editor", editor.toAbsolutePath().toString());
    agent.put("edits", workDir.resolve("edits").toAbsolutePath().toString());
    agent.put("variants.header", "true");
    ServiceProcess app =
        ServiceProcess.start(
            ServiceLaunch.demoApp(home.resolve("demo-app/target/mend4j-demo-app.jar")),
            served.toAbsolutePath(),
            workDir,
            "demo",
            List.of(JavaAgent.option(home.resolve("agent/target/mend4j-agent.jar"), agent)),
            List.of());
    AdminClient admin = new AdminClient(adminPort, token);
    try {
      admin.awaitReady(ADMIN_TIMEOUT);
    } catch (IOException e) {
      app.close();
      throw e;
    }
    return new ServiceUnderDemo(app, admin);
  }

  /** The service's HTTP API. */
  ServiceClient client() {
    return app.client();
  }

  @Override
  public void close() {
    app.close();
  }
}
