package org.mend4j.runtime.world;

import java.util.Locale;

/** The kinds of entity in the world. Subjects of facts are countries, cities, people, companies. */
public enum EntityType {
  COUNTRY,
  CITY,
  PERSON,
  COMPANY,
  LANGUAGE,
  CURRENCY,
  OCCUPATION;

  /** Lower-case name used in the JSON files ({@code "country"}). */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
