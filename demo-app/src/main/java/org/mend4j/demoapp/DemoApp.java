package org.mend4j.demoapp;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.mend4j.demoapp.http.HttpService;

/**
 * The service's entry point: loads a GPT-2 checkpoint ({@link LoadedModel}) and serves it over
 * HTTP.
 */
public final class DemoApp implements AutoCloseable {

  private final LoadedModel model;
  private final HttpService service;

  private DemoApp(LoadedModel model, HttpService service) {
    this.model = model;
    this.service = service;
  }

  /**
   * Runs the service until the process is stopped.
   *
   * @param args see {@link AppOptions#USAGE}
   */
  public static void main(String[] args) {
    AppOptions options;
    try {
      options = AppOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("demo-app: " + e.getMessage() + "\n" + AppOptions.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(AppOptions.USAGE);
      return;
    }
    // The service reads only local files: DJL must never reach for the network (engine
    // downloads, usage reporting), whatever the command line says.
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    try {
      DemoApp app = start(options);
      Runtime.getRuntime().addShutdownHook(new Thread(app::close, "demo-app-shutdown"));
      System.out.println("demo-app listening on http://" + app.url());
    } catch (IOException e) {
      System.err.println("demo-app: " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * Loads the model and tokenizer and starts serving.
   *
   * @param options where the model is and where to listen
   * @return the running service
   * @throws IOException if the model directory is missing or unreadable, or the address is taken
   */
  public static DemoApp start(AppOptions options) throws IOException {
    LoadedModel model = LoadedModel.load(options.model());
    try {
      InetSocketAddress address = new InetSocketAddress(options.host(), options.port());
      HttpService service =
          HttpService.start(address, options.threads(), model.generator(), model.tokenizer());
      return new DemoApp(model, service);
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** {@code host:port} the service listens on. */
  public String url() {
    InetSocketAddress address = service.address();
    return address.getHostString() + ":" + address.getPort();
  }

  /** Stops serving and frees the model. */
  @Override
  public void close() {
    service.close();
    model.close();
  }
}
