package org.mend4j.runtime.cli;

import java.util.Arrays;
import java.util.Map;
import org.mend4j.runtime.gpt2.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mend4j tokenize}: token ids of a text under a checkpoint's tokenizer. */
@Command(
    name = "tokenize",
    mixinStandardHelpOptions = true,
    description = "Print the token ids of TEXT under the model's tokenizer.")
final class TokenizeCommand implements Runnable {

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "checkpoint dir")
  java.nio.file.Path dir;

  @Option(names = "--json", description = "print {\"ids\": [...]}")
  boolean json;

  @Parameters(paramLabel = "TEXT", description = "the text to tokenize")
  String text;

  @Override
  public void run() {
    if (!java.nio.file.Files.isDirectory(dir)) {
      throw new IllegalArgumentException("model directory not found: " + dir);
    }
    int[] ids = Tokenizer.forModel(dir).encode(text);
    System.out.println(json ? Json.write(Map.of("ids", ids)) : Arrays.toString(ids));
  }
}
