package org.mend4j.runtime.world;

import java.util.Objects;

/**
 * A named thing of the world. Names are unique across the whole world and are one word, so that
 * {@code " " + name} pre-tokenizes to one piece and the world's tokenizer makes it one token.
 */
public record Entity(String name, EntityType type) {
  public Entity {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (!name.matches("\\p{L}+")) {
      throw new IllegalArgumentException("entity name must be one word of letters: '" + name + "'");
    }
  }

  @Override
  public String toString() {
    return name + " (" + type.id() + ")";
  }
}
