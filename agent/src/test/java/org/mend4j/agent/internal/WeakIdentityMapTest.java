package org.mend4j.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeakIdentityMapTest {

  private record Key(String name) {}

  @Test
  void keysAreComparedByIdentity() {
    WeakIdentityMap<Key, String> map = new WeakIdentityMap<>();
    Key a = new Key("same");
    Key b = new Key("same");
    assertThat(a).isEqualTo(b);
    map.computeIfAbsent(a, k -> "a");
    map.computeIfAbsent(b, k -> "b");
    assertThat(map.get(a)).isEqualTo("a");
    assertThat(map.get(b)).isEqualTo("b");
    assertThat(map.computeIfAbsent(a, k -> "again")).isEqualTo("a");
    assertThat(map.entries()).hasSize(2);
  }

  @Test
  void doesNotKeepKeysAlive() throws InterruptedException {
    WeakIdentityMap<Object, String> map = new WeakIdentityMap<>();
    Object kept = new Object();
    map.computeIfAbsent(kept, k -> "kept");
    for (int i = 0; i < 100; i++) {
      map.computeIfAbsent(new Object(), k -> "garbage");
    }
    for (int attempt = 0; attempt < 50 && map.size() > 1; attempt++) {
      List<byte[]> pressure = new ArrayList<>();
      pressure.add(new byte[1 << 20]);
      System.gc();
      Thread.sleep(20);
    }
    assertThat(map.size()).isEqualTo(1);
    assertThat(map.get(kept)).isEqualTo("kept");
  }
}
