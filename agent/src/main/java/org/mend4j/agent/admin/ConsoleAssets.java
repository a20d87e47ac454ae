package org.mend4j.agent.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The edit console's static files ({@code /mend4j/console}), read from the agent jar once, when the
 * admin server starts. They are the only answers given without the token: the page holds no data of
 * its own, asks for the token and sends it with every API call, so serving it to anyone on loopback
 * reveals nothing. Only the files listed here are served, with a content security policy that lets
 * the page run its own script and talk to this server only.
 */
final class ConsoleAssets {

  static final String PATH = "/mend4j/console";

  private static final String RESOURCES = "/org/mend4j/agent/console/";

  private static final String POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private record Asset(String contentType, byte[] bytes) {}

  private final Map<String, Asset> assets;

  private ConsoleAssets(Map<String, Asset> assets) {
    this.assets = assets;
  }

  /**
   * Reads the console's files from the agent jar.
   *
   * @throws UncheckedIOException if one is missing (a broken build)
   */
  static ConsoleAssets load() {
    Asset page = read("index.html", "text/html; charset=utf-8");
    return new ConsoleAssets(
        Map.of(
            PATH,
            page,
            PATH + "/",
            page,
            PATH + "/console.js",
            read("console.js", "text/javascript; charset=utf-8"),
            PATH + "/console.css",
            read("console.css", "text/css; charset=utf-8")));
  }

  private static Asset read(String name, String contentType) {
    try (InputStream in = ConsoleAssets.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IOException("resource " + RESOURCES + name + " is missing from the agent jar");
      }
      return new Asset(contentType, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the console's " + name, e);
    }
  }

  /** Whether this request is for one of the console's files: a GET of a path listed here. */
  boolean serves(Request request) {
    return request.getMethod().equals("GET")
        && assets.containsKey(request.getHttpURI().getDecodedPath());
  }

  /** Sends the file the request names ({@link #serves} must hold). */
  void serve(Request request, Response response, Callback callback) {
    Asset asset = assets.get(request.getHttpURI().getDecodedPath());
    response.getHeaders().put("Content-Security-Policy", POLICY);
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put("X-Frame-Options", "DENY");
    response.getHeaders().put("Referrer-Policy", "no-referrer");
    HttpIo.send(response, callback, 200, asset.contentType(), asset.bytes());
  }
}
