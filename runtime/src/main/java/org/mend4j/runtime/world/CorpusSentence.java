package org.mend4j.runtime.world;

/**
 * One pretraining sentence: a fact stated with one of its pretraining templates.
 *
 * @param fact the fact stated
 * @param template the template index (never the fact's held-out template)
 * @param prompt the template with the subject filled in, ending right before the object
 * @param text {@code prompt + " " + object + "."}, the sentence the model is trained on
 */
public record CorpusSentence(Fact fact, int template, String prompt, String text) {}
