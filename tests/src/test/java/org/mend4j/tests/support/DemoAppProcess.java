package org.mend4j.tests.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mend4j.runtime.service.Completion;
import org.mend4j.runtime.service.ServiceLaunch;
import org.mend4j.runtime.service.ServiceProcess;

/**
 * demo-app's runnable jar in a child JVM on a free loopback port, as a customer would run it: a
 * {@link ServiceProcess} started with {@link ServiceLaunch#demoApp()}, with its client's calls at
 * hand. Logs go to {@code target/demo-app-logs/}.
 */
public final class DemoAppProcess implements AutoCloseable {

  private final ServiceProcess service;

  private DemoAppProcess(ServiceProcess service) {
    this.service = service;
  }

  /**
   * Starts demo-app on a model and waits until {@code /health} answers.
   *
   * @param model the model directory
   * @param name a name for the log file
   * @param jvmArgs extra arguments for the child JVM, before {@code -jar}
   * @param appArgs extra arguments for demo-app, after {@code --model} and {@code --port}
   * @return the running service
   * @throws IOException if the jar is missing, or the service dies or does not come up in time
   */
  public static DemoAppProcess start(
      Path model, String name, List<String> jvmArgs, List<String> appArgs) throws IOException {
    return new DemoAppProcess(
        ServiceProcess.start(
            Launches.demoApp(), model, TestPaths.target(), name, jvmArgs, appArgs));
  }

  /**
   * The greedy completions of {@code prompts} by demo-app started on {@code model} (then stopped).
   *
   * @throws IOException if the service does not come up or a request fails
   */
  public static List<String> answers(
      Path model, List<String> prompts, int maxNewTokens, List<String> jvmArgs, String name)
      throws IOException {
    List<String> out = new ArrayList<>();
    try (DemoAppProcess app = start(model, name, jvmArgs, List.of())) {
      for (String p : prompts) {
        out.add(app.generate(p, maxNewTokens).text());
      }
    }
    return out;
  }

  /** The child process. */
  public ServiceProcess service() {
    return service;
  }

  /** The child's process handle (for its CPU time in benchmarks). */
  public ProcessHandle handle() {
    return service.handle();
  }

  /** The service's base address, {@code http://127.0.0.1:PORT}. */
  public URI base() {
    return service.client().base();
  }

  /** The child's combined stdout and stderr. */
  public Path log() {
    return service.log();
  }

  /**
   * Greedy completion of a prompt.
   *
   * @throws IOException on a transport error or a status other than 200
   */
  public Completion generate(String prompt, int maxNewTokens) throws IOException {
    return service.client().generate(prompt, maxNewTokens);
  }

  /**
   * Greedy completion of a prompt, with extra request headers (e.g. a variant header).
   *
   * @throws IOException on a transport error or a status other than 200
   */
  public Completion generate(String prompt, int maxNewTokens, Map<String, String> headers)
      throws IOException {
    return service.client().generate(prompt, maxNewTokens, headers);
  }

  /**
   * Posts a raw body, for tests of sampling options and of bad requests.
   *
   * @return the response, whatever its status
   * @throws IOException on a transport error
   */
  public HttpResponse<String> post(String path, String body) throws IOException {
    return service.client().post(path, body);
  }

  /** Kills the child at once (SIGKILL: no shutdown hook, no flush) and waits for it to be gone. */
  public void kill() throws InterruptedException {
    service.kill();
  }

  /** Stops the child: politely first, forcibly after ten seconds. */
  @Override
  public void close() {
    service.close();
  }
}
