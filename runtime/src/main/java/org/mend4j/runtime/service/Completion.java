package org.mend4j.runtime.service;

/**
 * A completion as demo-app's HTTP API answers it: the generated text and the number of generated
 * tokens.
 *
 * @param text the {@code completion} field
 * @param tokens the {@code tokens} field
 */
public record Completion(String text, int tokens) {}
