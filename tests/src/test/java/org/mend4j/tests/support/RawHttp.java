package org.mend4j.tests.support;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 as bytes on a loopback socket: for requests no HTTP client would send (broken chunks,
 * conflicting lengths, slow clients), and answers read to the end of the connection.
 */
public final class RawHttp {

  private static final int TIMEOUT_MILLIS = 15_000;

  private RawHttp() {}

  /** An answer: its status (0 if the server closed without one), head and body. */
  public record Answer(int status, String head, String body) {
    /** The body as JSON, or null if it is not JSON. */
    public JsonElement json() {
      try {
        return JsonParser.parseString(body);
      } catch (RuntimeException e) {
        return null;
      }
    }
  }

  /** Sends {@code request} and reads the answer until the server closes the connection. */
  public static Answer send(int port, byte[] request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(TIMEOUT_MILLIS);
      try {
        s.getOutputStream().write(request);
        s.getOutputStream().flush();
      } catch (java.net.SocketException e) {
        // the server answered and closed before it had all of it (oversized headers): read on
      }
      return read(s);
    }
  }

  /** A connection that has sent {@code partial} and goes on holding its slot. */
  public static Socket hold(int port, String partial) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(TIMEOUT_MILLIS);
    s.getOutputStream().write(partial.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
    return s;
  }

  /** Whether the server has not closed {@code s} (a short read times out instead of ending). */
  public static boolean stillOpen(Socket s) throws IOException {
    int timeout = s.getSoTimeout();
    s.setSoTimeout(20);
    try {
      return s.getInputStream().read() != -1;
    } catch (SocketTimeoutException e) {
      return true;
    } finally {
      s.setSoTimeout(timeout);
    }
  }

  /** Reads what the server sends until it closes (or the timeout). */
  public static Answer read(Socket s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    byte[] buffer = new byte[8192];
    try {
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException | java.net.SocketException e) {
      // what arrived is the answer
    }
    String text = out.toString(StandardCharsets.UTF_8);
    int split = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.1 ") || split < 0) {
      return new Answer(0, text, "");
    }
    int status = Integer.parseInt(text.substring(9, 12));
    return new Answer(status, text.substring(0, split), text.substring(split + 4));
  }

  /**
   * A request as bytes: request line, {@code Host}, the given header lines (each {@code "Name:
   * value"}), {@code Content-Length} if {@code body} is not null and no header sets a length or a
   * transfer coding, then the body.
   */
  public static byte[] request(String method, String path, byte[] body, String... headers) {
    StringBuilder head =
        new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    boolean framed = false;
    for (String h : headers) {
      head.append(h).append("\r\n");
      String lower = h.toLowerCase(java.util.Locale.ROOT);
      framed |= lower.startsWith("content-length:") || lower.startsWith("transfer-encoding:");
    }
    if (body != null && !framed) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }
}
