package org.mend4j.springapp;

import java.io.IOException;
import java.nio.file.Path;
import org.mend4j.demoapp.LoadedModel;
import org.mend4j.demoapp.http.Completions;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The model, loaded once at start from the directory of the {@code model} property ({@code
 * --model=DIR}; default {@code models/world-gpt2}) and freed when the context closes.
 */
@Configuration(proxyBeanMethods = false)
class ModelConfiguration {

  @Bean(destroyMethod = "close")
  LoadedModel loadedModel(@Value("${model:models/world-gpt2}") Path dir) throws IOException {
    return LoadedModel.load(dir);
  }

  @Bean
  Completions completions(LoadedModel model) {
    return new Completions(model.generator(), model.tokenizer());
  }
}
