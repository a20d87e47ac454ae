package org.mend4j.demoapp.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mend4j.demoapp.AppOptions;
import org.mend4j.demoapp.DemoApp;
import org.mend4j.demoapp.Fixtures;

/** The real server on loopback: good requests are answered, bad ones refused, serving goes on. */
class DemoAppHttpTest {

  @TempDir static Path modelDir;

  private static DemoApp app;
  private static HttpClient client;

  @BeforeAll
  static void start() throws IOException {
    Fixtures.tinyModelWithTokenizer(modelDir);
    app = DemoApp.start(new AppOptions(modelDir, "127.0.0.1", 0, 2, false));
    client = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void healthIsOk() throws Exception {
    HttpResponse<String> response = send("GET", "/health", null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("status").getAsString()).isEqualTo("ok");
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
  }

  @Test
  void greedyGenerationIsDeterministicAndBounded() throws Exception {
    String body = "{\"prompt\": \"Hello world\", \"max_new_tokens\": 5}";
    JsonObject first = json(assertStatus(200, send("POST", "/generate", body)));
    JsonObject second = json(assertStatus(200, send("POST", "/generate", body)));
    assertThat(first).isEqualTo(second);
    assertThat(first.get("tokens").getAsInt()).isBetween(0, 5);
    assertThat(first.get("completion").getAsString()).isNotNull();
  }

  @Test
  void samplingWithASeedIsRepeatableAndDiffersAcrossSeeds() throws Exception {
    String template =
        "{\"prompt\": \"The capital\", \"max_new_tokens\": 12, \"temperature\": 5,"
            + " \"seed\": %d}";
    JsonObject a = json(assertStatus(200, send("POST", "/generate", String.format(template, 1))));
    JsonObject again =
        json(assertStatus(200, send("POST", "/generate", String.format(template, 1))));
    JsonObject b = json(assertStatus(200, send("POST", "/generate", String.format(template, 2))));
    assertThat(again).isEqualTo(a);
    assertThat(b.get("completion").getAsString()).isNotEqualTo(a.get("completion").getAsString());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "malformed JSON          | {\"prompt\": \"hi\", | malformed JSON",
        "not an object           | [1, 2]                         | must be a JSON object",
        "empty body              | ''                             | must be a JSON object",
        "missing prompt          | {\"max_new_tokens\": 3}        | missing 'prompt'",
        "empty prompt            | {\"prompt\": \"\", \"max_new_tokens\": 3} | must not be empty",
        "prompt not a string     | {\"prompt\": 7, \"max_new_tokens\": 3}  | must be a string",
        "missing max_new_tokens  | {\"prompt\": \"hi\"}           | missing 'max_new_tokens'",
        "zero max_new_tokens     | {\"prompt\": \"hi\", \"max_new_tokens\": 0}   | 1..256",
        "too many new tokens     | {\"prompt\": \"hi\", \"max_new_tokens\": 257} | 1..256",
        "fractional new tokens   | {\"prompt\": \"hi\", \"max_new_tokens\": 2.5} | 1..256",
        "new tokens as a string  | {\"prompt\": \"hi\", \"max_new_tokens\": \"3\"} | must be a number",
        "negative temperature    | {\"prompt\": \"hi\", \"max_new_tokens\": 3, \"temperature\": -1} | 'temperature'",
        "fractional seed         | {\"prompt\": \"hi\", \"max_new_tokens\": 3, \"seed\": 1.5} | 'seed'",
      })
  void badRequestsGet400WithAClearMessageAndServingGoesOn(String why, String body, String message)
      throws Exception {
    HttpResponse<String> response = send("POST", "/generate", body);
    assertThat(response.statusCode()).as(why).isEqualTo(400);
    assertThat(json(response).get("error").getAsString()).as(why).contains(message);
    assertStatus(200, send("POST", "/generate", "{\"prompt\": \"hi\", \"max_new_tokens\": 1}"));
  }

  @Test
  void aPromptThatDoesNotFitTheContextIsRefused() throws Exception {
    String prompt = "zq ".repeat(300);
    String body = "{\"prompt\": \"" + prompt + "\", \"max_new_tokens\": 10}";
    HttpResponse<String> response = send("POST", "/generate", body);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("error").getAsString())
        .contains("with max_new_tokens 10 it exceeds the model's context of 512 tokens");
  }

  @Test
  void aBodyOverTheLimitIsRefused() throws Exception {
    String prompt = "a".repeat(GenerateRequest.MAX_BODY_BYTES);
    HttpResponse<String> response =
        send("POST", "/generate", "{\"prompt\": \"" + prompt + "\", \"max_new_tokens\": 1}");
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(json(response).get("error").getAsString()).contains("larger than the limit");
  }

  @Test
  void wrongMethodsAndUnknownPathsAreRefused() throws Exception {
    HttpResponse<String> get = send("GET", "/generate", null);
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    assertThat(send("POST", "/health", "{}").statusCode()).isEqualTo(405);
    HttpResponse<String> unknown = send("GET", "/generate/more", null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).get("error").getAsString()).contains("/generate/more");
    assertThat(send("GET", "/", null).statusCode()).isEqualTo(404);
  }

  private static HttpResponse<String> send(String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + app.url() + path))
            .method(method, publisher)
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> assertStatus(int status, HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return response;
  }

  private static JsonObject json(HttpResponse<String> response) {
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }
}
