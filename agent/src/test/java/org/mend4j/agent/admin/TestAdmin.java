package org.mend4j.agent.admin;

import java.io.IOException;
import java.util.List;
import org.mend4j.agent.control.Control;
import org.mend4j.agent.control.InProcessEditor;
import org.mend4j.agent.hook.CopyStatus;
import org.mend4j.agent.hook.HookCounters;
import org.mend4j.agent.hook.VariantHeaderPolicy;
import org.mend4j.agent.hook.VariantRouter;
import org.mend4j.agent.persist.EditStore;
import org.mend4j.agent.registry.EditRegistry;

/**
 * An admin server on a free loopback port over a control plane with no model or editor (edits are
 * imported as files), on the registry and store a test gives, with small limits.
 */
final class TestAdmin {

  static final String TOKEN = "test-token-0123456789";

  private TestAdmin() {}

  static AdminServer start(EditRegistry registry, EditStore store) throws IOException {
    Control control =
        new Control(
            registry,
            store,
            new InProcessEditor(null, null, null),
            new HookCounters(),
            new VariantRouter(VariantHeaderPolicy.ANY),
            snapshot -> List.of(new CopyStatus("test-loader", 7, 0)));
    return AdminServer.start(
        0,
        TOKEN,
        control,
        new AdminLimits(1024, 1 << 20, 16384, AdminLimits.DEFAULT_MAX_CONNECTIONS, 2000));
  }
}
