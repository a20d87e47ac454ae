package org.mend4j.demoapp.http;

import org.mend4j.demoapp.generation.NextToken;
import org.mend4j.demoapp.generation.TokenGenerator;
import org.mend4j.demoapp.text.Gpt2Tokenizer;

/**
 * What {@code POST /generate} computes once its body is parsed: the check that the prompt and the
 * new tokens fit the model's context, the choice between greedy decoding and sampling, the
 * generation and its decoded text.
 *
 * <p>Kept apart from the JDK server's handler so that any HTTP front gives the same answers and the
 * same refusals. Thread-safe, as the generator and the tokenizer are.
 */
public final class Completions {

  /**
   * The answer to a request, named as in its JSON body.
   *
   * @param completion the generated text
   * @param tokens the number of generated tokens
   */
  public record Completion(String completion, int tokens) {}

  private final TokenGenerator generator;
  private final Gpt2Tokenizer tokenizer;

  /**
   * Creates the service.
   *
   * @param generator the generator shared by all requests
   * @param tokenizer the tokenizer shared by all requests
   */
  public Completions(TokenGenerator generator, Gpt2Tokenizer tokenizer) {
    this.generator = generator;
    this.tokenizer = tokenizer;
  }

  /**
   * Continues the request's prompt.
   *
   * @param request a checked request
   * @return the completion
   * @throws BadRequestException (400) if the prompt and the new tokens exceed the model's context
   */
  public Completion complete(GenerateRequest request) throws BadRequestException {
    long[] prompt = tokenizer.encode(request.prompt());
    int context = generator.contextLength();
    if (prompt.length + request.maxNewTokens() > context) {
      throw new BadRequestException(
          400,
          String.format(
              "the prompt is %d tokens; with max_new_tokens %d it exceeds the model's context of"
                  + " %d tokens",
              prompt.length, request.maxNewTokens(), context));
    }
    NextToken next =
        request.temperature() == 0
            ? NextToken.greedy()
            : NextToken.sampled(request.temperature(), request.seed().orElseGet(System::nanoTime));
    long[] generated = generator.generate(prompt, request.maxNewTokens(), next);
    return new Completion(tokenizer.decode(generated), generated.length);
  }
}
