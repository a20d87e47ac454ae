package org.mend4j.demoapp.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class GenerateRequestTest {

  @Test
  void readsAllFieldsAndIgnoresUnknownOnes() throws BadRequestException {
    GenerateRequest request =
        GenerateRequest.parse(
            "{\"prompt\": \"caf\\u00e9\", \"max_new_tokens\": 256, \"temperature\": 0.7,"
                + " \"seed\": -9007199254740993, \"stream\": false}");
    assertThat(request)
        .isEqualTo(new GenerateRequest("café", 256, 0.7, OptionalLong.of(-9007199254740993L)));
  }

  @Test
  void temperatureAndSeedAreOptional() throws BadRequestException {
    GenerateRequest request =
        GenerateRequest.parse("{\"prompt\": \"x\", \"max_new_tokens\": 1.0, \"seed\": null}");
    assertThat(request).isEqualTo(new GenerateRequest("x", 1, 0, OptionalLong.empty()));
  }

  @Test
  void lenientJsonIsRefused() {
    assertThatThrownBy(() -> GenerateRequest.parse("{prompt: 'x', max_new_tokens: 1}"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith("malformed JSON: ")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> GenerateRequest.parse("{\"prompt\": \"x\", \"max_new_tokens\": 1} {}"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("malformed JSON");
  }

  @Test
  void aSeedBeyond64BitsIsRefused() {
    assertThatThrownBy(
            () ->
                GenerateRequest.parse(
                    "{\"prompt\": \"x\", \"max_new_tokens\": 1, \"seed\": 9223372036854775808}"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("'seed' must be a 64-bit integer");
  }

  @Test
  void anOverflowingTemperatureIsRefused() {
    assertThatThrownBy(
            () ->
                GenerateRequest.parse(
                    "{\"prompt\": \"x\", \"max_new_tokens\": 1, \"temperature\": 1e999}"))
        .isInstanceOf(BadRequestException.class)
        .satisfies(e -> assertThat(((BadRequestException) e).status()).isEqualTo(400));
  }

  @Test
  void aBodyIsReadUpToTheLimitAndRefusedBeyondIt() throws Exception {
    String head = "{\"prompt\": \"x\", \"max_new_tokens\": 1, \"pad\": \"";
    int fill = GenerateRequest.MAX_BODY_BYTES - head.length() - 2;
    assertThat(read(head + "a".repeat(fill) + "\"}").prompt()).isEqualTo("x");
    assertThatThrownBy(() -> read(head + "a".repeat(fill + 1) + "\"}"))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("the body is larger than the limit of 65536 bytes")
        .satisfies(e -> assertThat(((BadRequestException) e).status()).isEqualTo(413));
  }

  private static GenerateRequest read(String body) throws BadRequestException, IOException {
    return GenerateRequest.read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
  }
}
