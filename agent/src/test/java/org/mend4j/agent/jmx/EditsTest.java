package org.mend4j.agent.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mend4j.agent.control.ControlException;

/** JMX refusals are JDK exceptions: the caller's fault or the agent's state, with the message. */
class EditsTest {

  private static final Map<ControlException, Class<?>> EXPECTED =
      Map.of(
          new ControlException.InvalidRequest("bad field"), IllegalArgumentException.class,
          new ControlException.NotFound("no edit with id 'x'"), IllegalArgumentException.class,
          new ControlException.Conflict("exists", null), IllegalArgumentException.class,
          new ControlException.ForeignModel("other weights"), IllegalArgumentException.class,
          new ControlException.NotEditable("nothing to edit", null), IllegalArgumentException.class,
          new ControlException.Failed("cannot write", null), IllegalStateException.class,
          new ControlException.Unavailable("store down", null), IllegalStateException.class);

  @Test
  void eachReasonBecomesAJdkException() {
    EXPECTED.forEach(
        (e, type) -> {
          RuntimeException jmx = Edits.forJmx(e);
          assertThat(jmx).as(e.toString()).isExactlyInstanceOf(type);
          assertThat(jmx.getMessage()).isEqualTo(e.getMessage());
        });
  }

  @Test
  void everyPermittedReasonIsCovered() {
    assertThat(EXPECTED.keySet().stream().map(Object::getClass))
        .containsExactlyInAnyOrderElementsOf(
            Arrays.asList(ControlException.class.getPermittedSubclasses()));
  }
}
