package org.mend4j.agent.hook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.registry.Snapshot;
import org.mend4j.agent.registry.Variant;
import org.mend4j.agent.registry.VariantSplit;
import org.mend4j.agent.testing.FakeBinder;
import org.mend4j.agent.testing.TestEdits;
import org.mend4j.agent.testing.TestEdits.Param;
import org.mend4j.runtime.edit.Edit;

class VariantRouterTest {

  private static final Param FC = new Param("transformer.h.1.mlp.c_fc.weight", 4, 8, "sha256:fc");

  private final AtomicReference<Snapshot> current = new AtomicReference<>();
  private final EditRegistry registry =
      new EditRegistry(current, new FakeBinder(Set.of("sha256:fc")), () -> true, false);
  private final VariantRouter router = new VariantRouter(VariantHeaderPolicy.ANY);

  private RequestScope pinned(String header, String requestId) {
    RequestScope scope = new RequestScope(header, requestId);
    router.pin(scope, registry.current());
    return scope;
  }

  @Test
  void theHeaderPicksAVariantAndAnUnknownNameGetsTheDefault() {
    registry.settle();
    Edit edit = TestEdits.edit("a", 1, FC);
    registry.add(edit, true, "a");
    registry.putVariant(new Variant("original", List.of(), 0));

    RequestScope original = pinned("original", null);
    assertThat(original.variant()).isEqualTo("original");
    assertThat(original.selection().isEmpty()).isTrue();
    RequestScope plain = pinned(null, null);
    assertThat(plain.variant()).isEqualTo(Variant.DEFAULT);
    assertThat(plain.selection().editIds()).containsExactly(edit.id());
    assertThat(pinned("default", null).variant()).isEqualTo(Variant.DEFAULT);
    RequestScope unknown = pinned("nope", null);
    assertThat(unknown.variant()).isEqualTo(Variant.DEFAULT);
    assertThat(unknown.selection().editIds()).containsExactly(edit.id());

    assertThat(router.unknownVariantRequests()).isEqualTo(1);
    assertThat(router.requestsByVariant())
        .containsEntry("default", 3L)
        .containsEntry("original", 1L);
  }

  @Test
  void theHeaderIsIgnoredUnlessThePolicyAdmitsTheName() {
    registry.settle();
    Edit edit = TestEdits.edit("a", 1, FC);
    registry.add(edit, true, "a");
    registry.putVariant(new Variant("original", List.of(), 0));
    registry.putVariant(new Variant("canary", List.of(edit.id()), 0));

    VariantRouter off = new VariantRouter(VariantHeaderPolicy.OFF);
    RequestScope bypass = new RequestScope("original", null);
    off.pin(bypass, registry.current());
    assertThat(bypass.variant()).isEqualTo(Variant.DEFAULT);
    assertThat(bypass.selection().editIds()).containsExactly(edit.id());
    assertThat(off.ignoredVariantHeaders()).isEqualTo(1);

    VariantRouter onlyCanary = new VariantRouter(new VariantHeaderPolicy(true, Set.of("canary")));
    RequestScope canary = new RequestScope("canary", null);
    onlyCanary.pin(canary, registry.current());
    assertThat(canary.variant()).isEqualTo("canary");
    RequestScope original = new RequestScope("original", null);
    onlyCanary.pin(original, registry.current());
    assertThat(original.variant()).isEqualTo(Variant.DEFAULT);
    assertThat(onlyCanary.ignoredVariantHeaders()).isEqualTo(1);
    assertThat(onlyCanary.unknownVariantRequests()).isZero();
  }

  @Test
  void withoutAHeaderTheSplitIsDeterministicByRequestId() {
    registry.settle();
    registry.putVariant(new Variant("b", List.of(), 30));
    for (int i = 0; i < 200; i++) {
      String id = "req-" + i;
      String expected =
          VariantSplit.bucket(id) < 3000 ? "b" : Variant.DEFAULT; // b owns buckets 0..2999
      assertThat(pinned(null, id).variant()).as(id).isEqualTo(expected);
      assertThat(pinned(null, id).variant()).as("again " + id).isEqualTo(expected);
    }
  }

  @Test
  void withoutAnIdTheCounterSplitsEveryHundredRequestsClosely() {
    registry.settle();
    registry.putVariant(new Variant("b", List.of(), 30));
    int b = 0;
    for (int i = 0; i < 100; i++) {
      b += pinned(null, null).variant().equals("b") ? 1 : 0;
    }
    assertThat(b).isBetween(28, 32);
    registry.putVariant(new Variant("b", List.of(), 0));
    assertThat(pinned(null, null).variant()).as("no traffic: default").isEqualTo(Variant.DEFAULT);
  }

  @Test
  void aNestedHandlerJoinsTheOuterRequest() {
    RequestScope outer = RequestScope.open("x", null);
    try {
      assertThat(RequestScope.open("y", null)).isNull();
      assertThat(RequestScope.current()).isSameAs(outer);
      RequestScope.close(null);
      assertThat(RequestScope.current()).isSameAs(outer);
    } finally {
      RequestScope.close(outer);
    }
    assertThat(RequestScope.current()).isNull();
  }
}
