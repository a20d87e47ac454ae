package org.mend4j.runtime.world;

import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * One fact: {@code relation(subject) = object}, with the index of its held-out template.
 *
 * <p>Each fact holds out exactly one of its relation's templates: the model never reads the fact in
 * that form, and the held-out prompt (EasyEdit's {@code rephrase_prompt}) measures whether it
 * generalises from the other forms. The held-out index rotates over subjects (see {@link
 * World#heldOutTemplate}), so each template is still read in pretraining for most subjects: a
 * template held out for every subject would be a wording the model never saw at all, and no model
 * could be expected to answer it; a template held out for one fact but read for many others tests
 * exactly the transfer of a known fact to a known wording.
 */
public record Fact(Entity subject, Relation relation, Entity object, int heldOutTemplate) {
  public Fact {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(relation, "relation");
    Objects.requireNonNull(object, "object");
    if (subject.type() != relation.subjectType() || object.type() != relation.objectType()) {
      throw new IllegalArgumentException(
          "relation " + relation.id() + " does not relate " + subject + " to " + object);
    }
    if (heldOutTemplate < 0 || heldOutTemplate >= relation.templates().size()) {
      throw new IllegalArgumentException("no template " + heldOutTemplate + " in " + relation);
    }
  }

  /** Template {@code t} of the relation applied to this fact's subject. */
  public String prompt(int t) {
    return relation.prompt(t, subject.name());
  }

  /** The held-out prompt: never in the pretraining corpus for this fact. */
  public String heldOutPrompt() {
    return prompt(heldOutTemplate);
  }

  /** Indices of the templates this fact is pretrained with, in template order. */
  public List<Integer> pretrainingTemplates() {
    return IntStream.range(0, relation.templates().size())
        .filter(t -> t != heldOutTemplate)
        .boxed()
        .toList();
  }

  /** The pretraining prompts, in template order. */
  public List<String> pretrainingPrompts() {
    return pretrainingTemplates().stream().map(this::prompt).toList();
  }

  /**
   * The sentence stating this fact with template {@code t}: {@code prompt + " " + object + "."}.
   */
  public String sentence(int t) {
    return prompt(t) + " " + object.name() + ".";
  }

  @Override
  public String toString() {
    return relation.id() + "(" + subject.name() + ") = " + object.name();
  }
}
