package org.mend4j.agent.djl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BlockTreeTest {

  @Test
  void pathsJoinTheNamesTheHostGaveAndNumberSharedNames() {
    BlockTree tree = new BlockTree();
    Object model = new Object();
    Object h0 = new Object();
    Object mlp = new Object();
    Object fc = new Object();
    Object seq = new Object();
    Object first = new Object();
    Object second = new Object();
    tree.record(model, "h0", h0);
    tree.record(h0, "mlp", mlp);
    tree.record(mlp, "c_fc", fc);
    tree.record(model, "head", seq);
    tree.record(seq, "Linear", first);
    tree.record(seq, "Linear", second);
    assertThat(tree.path(fc)).isEqualTo("h0.mlp.c_fc");
    assertThat(tree.path(model)).isEmpty();
    assertThat(tree.path(first)).isEqualTo("head.Linear#1");
    assertThat(tree.path(second)).isEqualTo("head.Linear#2");
    assertThat(tree.path(new Object())).isEmpty();
  }

  @Test
  void aBlocksRootIsTheTopOfTheTreeItWasAddedTo() {
    BlockTree tree = new BlockTree();
    Object model = new Object();
    Object h0 = new Object();
    Object fc = new Object();
    Object loose = new Object();
    tree.record(model, "h0", h0);
    tree.record(h0, "c_fc", fc);
    assertThat(tree.root(fc)).isSameAs(model);
    assertThat(tree.root(h0)).isSameAs(model);
    assertThat(tree.root(model)).isSameAs(model);
    assertThat(tree.root(loose)).as("a block no tree recorded (an attached agent)").isSameAs(loose);
  }
}
