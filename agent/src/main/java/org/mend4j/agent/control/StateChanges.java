package org.mend4j.agent.control;

import org.mend4j.agent.persist.PersistedState;
import org.mend4j.agent.persist.StateChange;
import org.mend4j.agent.registry.Variant;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditFile;

/**
 * The control plane's changes as {@link StateChange}s. Each validates against the state it is
 * applied to, which for a shared store is the latest committed one (another replica may have added,
 * switched or removed an edit meanwhile), and refuses with the {@link ControlException} the caller
 * gets.
 */
final class StateChanges {

  private StateChanges() {}

  /**
   * A new edit, enabled, at the end of the order, with its edit file's bytes made now, before
   * anything is written, so an edit that cannot be stored leaves the store as it was.
   *
   * @throws ControlException.NotEditable if the edit cannot be written as an edit file
   */
  static StateChange add(Edit edit, String source) {
    byte[] file = fileBytes(edit);
    return new StateChange() {
      @Override
      public PersistedState apply(PersistedState latest) {
        if (latest.enabled().containsKey(edit.id())) {
          throw exists(edit.id());
        }
        return latest.withEdit(edit.id(), true);
      }

      @Override
      public Edit addedEdit() {
        return edit;
      }

      @Override
      public byte[] addedFile() {
        return file;
      }

      @Override
      public String source() {
        return source;
      }

      @Override
      public String summary() {
        return "add " + edit.id();
      }
    };
  }

  /** An edit switched on or off. */
  static StateChange setEnabled(String id, boolean enabled) {
    return new StateChange() {
      @Override
      public PersistedState apply(PersistedState latest) {
        Boolean now = latest.enabled().get(id);
        if (now == null) {
          throw noEdit(id);
        }
        return now == enabled ? latest : latest.withEdit(id, enabled);
      }

      @Override
      public String summary() {
        return (enabled ? "enable " : "disable ") + id;
      }
    };
  }

  /** An edit removed, also from every variant. */
  static StateChange remove(String id) {
    return new StateChange() {
      @Override
      public PersistedState apply(PersistedState latest) {
        if (!latest.enabled().containsKey(id)) {
          throw noEdit(id);
        }
        return latest.withoutEdit(id);
      }

      @Override
      public String removedEdit() {
        return id;
      }

      @Override
      public String summary() {
        return "delete " + id;
      }
    };
  }

  /** A variant defined or replaced; its edits must exist and the traffic fit in 100 percent. */
  static StateChange putVariant(Variant variant) {
    return new StateChange() {
      @Override
      public PersistedState apply(PersistedState latest) {
        try {
          variant.checkAmong(latest.enabled().keySet(), latest.variants());
        } catch (IllegalArgumentException e) {
          throw new ControlException.InvalidRequest(e.getMessage());
        }
        return latest.withVariant(variant);
      }

      @Override
      public String summary() {
        return "put variant " + variant.name();
      }
    };
  }

  /** A variant removed. */
  static StateChange removeVariant(String name) {
    return new StateChange() {
      @Override
      public PersistedState apply(PersistedState latest) {
        if (!latest.variants().containsKey(name)) {
          throw new ControlException.NotFound(
              "no variant '" + name + "' (variants: " + latest.variants().keySet() + ")");
        }
        return latest.withoutVariant(name);
      }

      @Override
      public String summary() {
        return "delete variant " + name;
      }
    };
  }

  private static byte[] fileBytes(Edit edit) {
    try {
      return EditFile.bytes(edit);
    } catch (RuntimeException e) {
      throw new ControlException.NotEditable(
          "edit " + edit.id() + " cannot be stored as an edit file: " + e.getMessage(), e);
    }
  }

  /** The refusal of an edit that is already there. */
  static ControlException exists(String id) {
    return new ControlException.Conflict(
        "edit " + id + " already exists (enable it instead of adding it again)", null);
  }

  private static ControlException noEdit(String id) {
    return new ControlException.NotFound("no edit with id '" + id + "'");
  }
}
