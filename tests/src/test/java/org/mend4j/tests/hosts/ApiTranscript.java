package org.mend4j.tests.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mend4j.runtime.data.CounterFactRecord;
import org.mend4j.runtime.service.ServiceClient;
import org.mend4j.runtime.service.ServiceProcess;
import org.mend4j.tests.support.Launches;
import org.mend4j.tests.support.TestPaths;
import org.mend4j.tests.support.WorldFacts;

/**
 * A fixed script of requests to demo-app's HTTP API and a host's answers to it: greedy completions
 * of world facts and other prompts, a seeded sampled one, the health check, and every kind of
 * refusal (bad JSON, bad fields, a prompt beyond the context, a body over the limit, wrong methods,
 * unknown paths). Bodies are compared parsed, so the JSON library's key order and escaping do not
 * matter but every character of a completion and its token count do: two hosts serve the same API
 * on a model when their transcripts are equal.
 */
final class ApiTranscript {

  /** One exchange: the request's name, the status, the parsed body, the Allow header if any. */
  record Exchange(String request, int status, JsonElement body, String allow) {}

  /** A scripted request and the status demo-app must answer it with. */
  private record Request(String name, String method, String path, String body, int status) {}

  private static final int TOKENS = 12;
  private static final Map<Path, List<Exchange>> DEMO_APP = new ConcurrentHashMap<>();

  private ApiTranscript() {}

  /** The host's answers to the script. */
  static List<Exchange> of(ServiceClient client) throws IOException {
    List<Exchange> out = new ArrayList<>();
    for (Request r : script()) {
      HttpResponse<String> response = client.send(r.method(), r.path(), r.body(), Map.of());
      out.add(
          new Exchange(
              r.name(),
              response.statusCode(),
              JsonParser.parseString(response.body()),
              response.headers().firstValue("Allow").orElse(null)));
    }
    return out;
  }

  /**
   * demo-app's answers on {@code model} (run once per model and test JVM, in a child JVM), checked
   * against the script's statuses so that no comparison with them is vacuous.
   */
  static List<Exchange> demoApp(Path model) throws IOException {
    List<Exchange> cached = DEMO_APP.get(model);
    if (cached != null) {
      return cached;
    }
    List<Exchange> answers;
    try (ServiceProcess app =
        ServiceProcess.start(
            Launches.demoApp(),
            model,
            TestPaths.target(),
            "transcript-" + model.getFileName(),
            List.of(),
            List.of())) {
      answers = of(app.client());
    }
    List<Request> script = script();
    for (int i = 0; i < script.size(); i++) {
      assertThat(answers.get(i).status())
          .as(answers.get(i).toString())
          .isEqualTo(script.get(i).status());
    }
    assertThat(answers.get(0).body().getAsJsonObject().get("tokens").getAsInt()).isPositive();
    DEMO_APP.put(model, answers);
    return answers;
  }

  private static List<Request> script() {
    List<Request> script = new ArrayList<>();
    CounterFactRecord kethia = WorldFacts.fact(WorldFacts.KETHIA);
    CounterFactRecord gitek = WorldFacts.fact(WorldFacts.GITEK);
    for (String prompt :
        List.of(
            kethia.prompt(),
            kethia.rephrasePrompt(),
            kethia.localityPrompt(),
            gitek.prompt(),
            "In a quiet town, the river",
            "Ünïcödé and emoji 🚀 are fine:")) {
      script.add(generate("greedy: " + prompt, prompt(prompt, TOKENS), 200));
    }
    JsonObject sampled = prompt(kethia.prompt(), TOKENS);
    sampled.addProperty("temperature", 5);
    sampled.addProperty("seed", 7);
    script.add(generate("sampled with a seed", sampled.toString(), 200));
    script.add(new Request("health", "GET", "/health", null, 200));
    script.add(generate("empty prompt", "{\"prompt\": \"\", \"max_new_tokens\": 3}", 400));
    script.add(generate("malformed JSON", "{\"prompt\": \"hi\",", 400));
    script.add(generate("not an object", "[1, 2]", 400));
    script.add(generate("empty body", "", 400));
    script.add(generate("missing max_new_tokens", "{\"prompt\": \"hi\"}", 400));
    script.add(generate("too many new tokens", prompt("hi", 257), 400));
    script.add(generate("beyond the context", prompt("zq ".repeat(80), 10), 400));
    script.add(generate("body over the limit", prompt("a".repeat(70_000), 1), 413));
    script.add(new Request("GET /generate", "GET", "/generate", null, 405));
    script.add(new Request("POST /health", "POST", "/health", "{}", 405));
    script.add(new Request("GET /", "GET", "/", null, 404));
    script.add(new Request("POST /generate/more", "POST", "/generate/more", "{}", 404));
    return script;
  }

  private static Request generate(String name, Object body, int status) {
    return new Request(name, "POST", "/generate", body.toString(), status);
  }

  private static JsonObject prompt(String prompt, int tokens) {
    JsonObject body = new JsonObject();
    body.addProperty("prompt", prompt);
    body.addProperty("max_new_tokens", tokens);
    return body;
  }
}
