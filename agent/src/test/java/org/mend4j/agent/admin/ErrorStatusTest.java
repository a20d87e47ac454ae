package org.mend4j.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mend4j.agent.control.ControlException;

/** Every reason the control plane refuses for has today's HTTP status, and none is left out. */
class ErrorStatusTest {

  @Test
  void eachReasonHasItsStatus() {
    Map<ControlException, Integer> expected =
        Map.of(
            new ControlException.InvalidRequest("bad field"), 400,
            new ControlException.NotFound("no edit"), 404,
            new ControlException.Conflict("exists", null), 409,
            new ControlException.ForeignModel("other weights"), 422,
            new ControlException.NotEditable("nothing to edit", null), 422,
            new ControlException.Failed("cannot write", null), 500,
            new ControlException.Unavailable("store down", null), 503);
    expected.forEach(
        (e, status) -> assertThat(ErrorStatus.of(e)).as(e.toString()).isEqualTo(status));
  }

  @Test
  void everyPermittedReasonIsMapped() {
    assertThat(List.<Class<?>>copyOf(ErrorStatus.BY_REASON.keySet()))
        .containsExactlyInAnyOrderElementsOf(
            Arrays.asList(ControlException.class.getPermittedSubclasses()));
  }
}
