package org.mend4j.demoapp;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mend4j.demoapp.generation.Generator;
import org.mend4j.demoapp.generation.TokenGenerator;
import org.mend4j.demoapp.generation.TorchScriptGenerator;
import org.mend4j.demoapp.http.HttpService;
import org.mend4j.demoapp.model.CheckpointLoader;
import org.mend4j.demoapp.model.Gpt2Model;
import org.mend4j.demoapp.text.Gpt2Tokenizer;

/**
 * The service's entry point: loads a GPT-2 checkpoint and serves it over HTTP.
 *
 * <p>The model directory is either a Hugging Face checkpoint, built into DJL blocks, or a GPT-2
 * traced to TorchScript ({@code DIR.pt} or {@code model.pt}, with the checkpoint's config and
 * tokenizer files), loaded as DJL loads TorchScript. The model's weights live in one manager for
 * the life of the process; requests allocate under a second one, so their temporaries can never
 * pile up next to the weights.
 */
public final class DemoApp implements AutoCloseable {

  private final AutoCloseable model;
  private final Gpt2Tokenizer tokenizer;
  private final HttpService service;

  private DemoApp(AutoCloseable model, Gpt2Tokenizer tokenizer, HttpService service) {
    this.model = model;
    this.tokenizer = tokenizer;
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
    Path dir = options.model().toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new IOException(
          "model directory "
              + dir
              + " does not exist; pass --model DIR with a GPT-2 checkpoint"
              + " (config.json, model.safetensors, tokenizer.json or vocab.json + merges.txt) or a"
              + " TorchScript GPT-2 (DIR.pt with the same config and tokenizer files)");
    }
    InetSocketAddress address = new InetSocketAddress(options.host(), options.port());
    if (TorchScriptGenerator.isTorchScript(dir)) {
      TorchScriptGenerator generator = TorchScriptGenerator.load(dir);
      return serve(generator, generator, dir, address, options.threads());
    }
    NDManager weights = NDManager.newBaseManager("PyTorch");
    NDManager requests = NDManager.newBaseManager("PyTorch");
    AutoCloseable managers =
        () -> {
          requests.close();
          weights.close();
        };
    try {
      Gpt2Model model = CheckpointLoader.load(dir, weights);
      return serve(new Generator(model, requests), managers, dir, address, options.threads());
    } catch (IOException | RuntimeException e) {
      close(managers);
      throw e;
    }
  }

  private static DemoApp serve(
      TokenGenerator generator,
      AutoCloseable model,
      Path dir,
      InetSocketAddress address,
      int threads)
      throws IOException {
    Gpt2Tokenizer tokenizer = null;
    try {
      tokenizer = Gpt2Tokenizer.load(dir);
      HttpService service = HttpService.start(address, threads, generator, tokenizer);
      return new DemoApp(model, tokenizer, service);
    } catch (IOException | RuntimeException e) {
      if (tokenizer != null) {
        tokenizer.close();
      }
      close(model);
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
    tokenizer.close();
    close(model);
  }

  private static void close(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      System.err.println("demo-app: closing the model failed: " + e);
    }
  }
}
