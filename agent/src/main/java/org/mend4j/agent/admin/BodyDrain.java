package org.mend4j.agent.admin;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Discards what is left of a refused request's body <em>after</em> the refusal has been sent, at
 * most {@link #MAX_BYTES} and {@link #MAX_MILLIS}, without holding a thread. A client that sends
 * its whole body before reading the answer (most do, unless they send {@code Expect: 100-continue})
 * would otherwise see its connection reset by the close and lose the 401 or 413.
 */
final class BodyDrain implements Runnable {

  static final long MAX_BYTES = 1 << 20;
  static final long MAX_MILLIS = 2_000;

  private final Request request;
  private final Callback done;
  private final AtomicBoolean finished = new AtomicBoolean();
  private long left = MAX_BYTES;
  private volatile Scheduler.Task deadline;

  private BodyDrain(Request request, Callback done) {
    this.request = request;
    this.done = done;
  }

  /**
   * The callback to complete once the answer is written: it drains the body if the client may still
   * be sending one, then completes {@code done}.
   */
  static Callback after(Request request, Callback done) {
    boolean waitsForContinue =
        request.getHeaders().contains(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString());
    if (!HttpIo.hasBody(request) || waitsForContinue) {
      return done;
    }
    BodyDrain drain = new BodyDrain(request, done);
    return Callback.from(drain::start, done::failed);
  }

  private void start() {
    deadline =
        request
            .getComponents()
            .getScheduler()
            .schedule(
                () -> request.fail(new TimeoutException()), MAX_MILLIS, TimeUnit.MILLISECONDS);
    run();
  }

  @Override
  public void run() {
    while (!finished.get()) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        request.demand(this);
        return;
      }
      boolean end = chunk.isLast() || Content.Chunk.isFailure(chunk);
      left -= chunk.remaining();
      chunk.release();
      if (end || left <= 0) {
        finish();
      }
    }
  }

  private void finish() {
    if (finished.compareAndSet(false, true)) {
      Scheduler.Task task = deadline;
      if (task != null) {
        task.cancel();
      }
      done.succeeded();
    }
  }
}
