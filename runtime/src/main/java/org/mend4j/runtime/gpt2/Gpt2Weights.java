package org.mend4j.runtime.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The base weights of one GPT-2 model, by canonical HF name, owned by one {@link NDManager}.
 * Closing it frees them. The arrays are never modified by inference or editing; training replaces
 * them explicitly. Matrices whose rows are a multiple of 4 KiB long are held with padded rows (see
 * {@link RowPadding}): the same shapes and values, faster products; weights {@link #shared} with a
 * host's model are views of its arrays instead, never copied.
 */
public final class Gpt2Weights implements Gpt2Params, AutoCloseable {

  private final Gpt2Config config;
  private final Map<String, NDArray> tensors;
  private final Map<String, NDArray> paddedStorage;
  private final NDManager manager;
  private final List<Object> retained;

  /**
   * Wraps loaded tensors.
   *
   * @param config the model's config
   * @param tensors canonical name to HF-layout tensor, all attached to {@code manager}; a matrix
   *     with rows a multiple of 4 KiB long is replaced by a padded copy and closed
   * @param manager the owner of the tensors
   * @param retained native buffers the tensors view (kept reachable while the weights live)
   */
  public Gpt2Weights(
      Gpt2Config config, Map<String, NDArray> tensors, NDManager manager, List<Object> retained) {
    this(config, manager, padded(tensors, manager), List.copyOf(retained));
  }

  /** The weights as given (the public constructor pads first; {@link #shared} never does). */
  private Gpt2Weights(Gpt2Config config, NDManager manager, Held held, List<Object> retained) {
    this.config = config;
    this.tensors = Collections.unmodifiableMap(held.tensors());
    this.paddedStorage = Map.copyOf(held.paddedStorage());
    this.manager = manager;
    this.retained = retained;
  }

  /** The tensors served by name, and the padded buffers behind those that are views of one. */
  private record Held(Map<String, NDArray> tensors, Map<String, NDArray> paddedStorage) {}

  /**
   * Weights whose storage another owner holds (a host's model): {@code tensors} are views of its
   * arrays, attached to {@code manager}, so closing these weights closes the views and leaves the
   * storage to its owner. They are used as they are, never padded: padding would be the copy the
   * views avoid.
   *
   * @param config the model's config
   * @param tensors canonical name to HF-layout view (two names may share one view)
   * @param manager the owner of the views
   */
  public static Gpt2Weights shared(
      Gpt2Config config, Map<String, NDArray> tensors, NDManager manager) {
    return new Gpt2Weights(
        config, manager, new Held(new LinkedHashMap<>(tensors), Map.of()), List.of());
  }

  private static Held padded(Map<String, NDArray> tensors, NDManager manager) {
    Map<String, NDArray> held = new LinkedHashMap<>(tensors);
    Map<String, NDArray> storage = new HashMap<>();
    held.replaceAll(
        (name, array) -> {
          if (!RowPadding.aliased(array)) {
            return array;
          }
          RowPadding.Padded padded = RowPadding.padded(array, manager);
          array.close();
          storage.put(name, padded.storage());
          return padded.view();
        });
    return new Held(held, storage);
  }

  /** The model's config. */
  public Gpt2Config config() {
    return config;
  }

  /** The manager owning the weights; do not allocate per-call temporaries in it. */
  public NDManager manager() {
    return manager;
  }

  /** All tensors by canonical name, in checkpoint order. */
  public Map<String, NDArray> tensors() {
    return tensors;
  }

  @Override
  public NDArray base(String name) {
    NDArray array = tensors.get(held(name));
    if (array == null) {
      throw new IllegalArgumentException("GPT-2 has no parameter '" + name + "'");
    }
    return array;
  }

  @Override
  public Optional<NDArray> paddedStorage(String name) {
    return Optional.ofNullable(paddedStorage.get(held(name)));
  }

  /** The name a parameter is held under: its canonical one, the tied head's {@code wte}. */
  private String held(String name) {
    String canonical = Gpt2Names.canonical(name);
    boolean tied = canonical.equals(Gpt2Names.LM_HEAD) && config.tieWordEmbeddings();
    return tied ? Gpt2Names.WTE : canonical;
  }

  @Override
  public void close() {
    manager.close();
  }
}
