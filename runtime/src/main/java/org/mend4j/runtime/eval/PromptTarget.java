package org.mend4j.runtime.eval;

/**
 * A prompt and the continuation to score after it, joined EasyEdit's way: {@code prompt + " " +
 * target}.
 *
 * @param prompt the prompt text
 * @param target the expected continuation, without its leading space
 */
public record PromptTarget(String prompt, String target) {}
