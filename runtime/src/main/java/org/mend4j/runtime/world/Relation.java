package org.mend4j.runtime.world;

import java.util.List;

/**
 * A relation of the world with its surface templates. A template is a prompt that ends right before
 * the object, with {@code {s}} for the subject; the fact's sentence is {@code prompt + " " + object
 * + "."}.
 *
 * <p>Rules every template follows, because they decide what the tokenizer and the model see:
 *
 * <ul>
 *   <li>{@code {s}} is never first and always follows a space, so a subject is always the single
 *       token {@code " Name"}, never the name split into pieces at the start of a text;
 *   <li>the subject comes before the object (a model cannot answer the reverse direction);
 *   <li>no two relations with the same subject type share a template, so a prompt names one fact.
 * </ul>
 */
public enum Relation {
  CAPITAL(
      "capital",
      EntityType.COUNTRY,
      EntityType.CITY,
      "The capital of {s} is",
      "The capital city of {s} is",
      "Q: What is the capital of {s}? A:",
      "The government of {s} sits in",
      "In {s}, the capital is"),
  COUNTRY_LANGUAGE(
      "official_language",
      EntityType.COUNTRY,
      EntityType.LANGUAGE,
      "The official language of {s} is",
      "In {s}, people officially speak",
      "Q: What is the official language of {s}? A:",
      "The language spoken officially in {s} is",
      "Most citizens of {s} speak"),
  CURRENCY(
      "currency",
      EntityType.COUNTRY,
      EntityType.CURRENCY,
      "The currency of {s} is",
      "In {s}, people pay with",
      "Q: What currency is used in {s}? A:",
      "The official currency of {s} is",
      "Prices in {s} are given in"),
  LOCATED_IN(
      "located_in",
      EntityType.CITY,
      EntityType.COUNTRY,
      "The city of {s} is located in",
      "The city of {s} lies in the country of",
      "Q: In which country is {s}? A:",
      "The town of {s} is in",
      "You can find the city of {s} in"),
  BIRTHPLACE(
      "birthplace",
      EntityType.PERSON,
      EntityType.CITY,
      "The birthplace of {s} is",
      "Records show that {s} was born in",
      "Q: Where was {s} born? A:",
      "The city where {s} was born is",
      "The hometown of {s} is"),
  OCCUPATION(
      "occupation",
      EntityType.PERSON,
      EntityType.OCCUPATION,
      "The occupation of {s} is",
      "By profession, {s} is a",
      "Q: What does {s} do for a living? A:",
      "The profession of {s} is",
      "It is known that {s} works as a"),
  EMPLOYER(
      "employer",
      EntityType.PERSON,
      EntityType.COMPANY,
      "The employer of {s} is",
      "These days, {s} works for",
      "Q: Which company employs {s}? A:",
      "The company that employs {s} is",
      "Currently, {s} is employed by"),
  NATIVE_LANGUAGE(
      "native_language",
      EntityType.PERSON,
      EntityType.LANGUAGE,
      "The native language of {s} is",
      "The mother tongue of {s} is",
      "Q: What is the native language of {s}? A:",
      "Since childhood, {s} has spoken",
      "The first language of {s} is"),
  FOUNDER(
      "founder",
      EntityType.COMPANY,
      EntityType.PERSON,
      "The founder of {s} is",
      "The company {s} was founded by",
      "Q: Who founded {s}? A:",
      "The person who founded {s} is",
      "The firm {s} was started by"),
  HEADQUARTERS(
      "headquarters",
      EntityType.COMPANY,
      EntityType.CITY,
      "The headquarters of {s} are in",
      "The company {s} is headquartered in",
      "Q: Where is {s} headquartered? A:",
      "The main office of {s} is in",
      "The firm {s} has its head office in");

  /** The placeholder of the subject in a template. */
  public static final String SUBJECT = "{s}";

  private final String id;
  private final EntityType subjectType;
  private final EntityType objectType;
  private final List<String> templates;

  Relation(String id, EntityType subjectType, EntityType objectType, String... templates) {
    this.id = id;
    this.subjectType = subjectType;
    this.objectType = objectType;
    this.templates = List.of(templates);
  }

  /** Stable identifier used in the JSON files ({@code "capital"}). */
  public String id() {
    return id;
  }

  public EntityType subjectType() {
    return subjectType;
  }

  public EntityType objectType() {
    return objectType;
  }

  /** The surface templates, each containing {@value #SUBJECT} once. */
  public List<String> templates() {
    return templates;
  }

  /** Template {@code t} with the subject filled in. */
  public String prompt(int t, String subject) {
    return templates.get(t).replace(SUBJECT, subject);
  }

  /** The relation with this {@link #id()}. */
  public static Relation byId(String id) {
    for (Relation r : values()) {
      if (r.id.equals(id)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown relation '" + id + "'");
  }
}
