package org.mend4j.springapp;

import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.mend4j.demoapp.http.BadRequestException;
import org.mend4j.demoapp.http.Completions;
import org.mend4j.demoapp.http.Completions.Completion;
import org.mend4j.demoapp.http.GenerateRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /generate} ({@code {"prompt", "max_new_tokens", "temperature"?, "seed"?}} to {@code
 * {"completion", "tokens"}}) and {@code GET /health}, on Tomcat's request threads.
 */
@RestController
class GenerateController {

  private final Completions completions;

  GenerateController(Completions completions) {
    this.completions = completions;
  }

  /** The body is read raw, so that its size limit and its checks are the library's. */
  @PostMapping("/generate")
  Completion generate(InputStream body) throws BadRequestException, IOException {
    GenerateRequest request = GenerateRequest.read(body);
    // PyTorch records gradients in every new thread, and Tomcat's threads are not ours.
    JniUtils.setGradMode(false);
    return completions.complete(request);
  }

  /** Answers once the model is loaded: the context starts serving only after its beans exist. */
  @GetMapping("/health")
  Map<String, String> health() {
    return Map.of("status", "ok");
  }
}
