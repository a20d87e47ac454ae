#!/usr/bin/env bash
# ./mend4j bench edit on GPT-2-small shapes, where no published GPT-2 or editor can be fetched:
#   the random GPT-2-small checkpoint ./mend4j bench generate writes (12 x 768, vocabulary 50257),
#   an editor of GPT-2 small's inner shapes trained for 20 steps (enough to set its normalisation;
#   its edits are not meant to be good, only to cost what a real editor's cost),
#   key statistics from the validation split (3 texts a record),
# each made once under target/bench/, then the benchmark on 10 test edits after 5 warm-up pairs
# (arithmetic, not the JIT, dominates at these shapes); extra arguments go to it.
# Usage: scripts/bench-edit-gpt2-small.sh [--json] [--limit N] [--warmup N]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MODEL=target/bench/gpt2-small-random
EDITOR=target/bench/gpt2-small-editor

if [[ ! -f "$MODEL/model.safetensors" ]]; then
  ./mend4j bench generate --rounds 1 >/dev/null
fi
if [[ ! -f "$EDITOR/editor.safetensors" ]]; then
  ./mend4j train-editor --model "$MODEL" --data data/world/edits-train.json \
    --val data/world/edits-val.json --out "$EDITOR" \
    --hparams <(echo '{"max_iters": 20, "val_interval": 10, "val_steps": 5}') >&2
fi
if [[ ! -f "$EDITOR/key-covariance.safetensors" ]]; then
  ./mend4j key-covariance --model "$MODEL" --editor "$EDITOR" --data data/world/edits-val.json >&2
fi
defaults=()
[[ " $* " == *" --limit"* ]] || defaults+=(--limit 10)
[[ " $* " == *" --warmup"* ]] || defaults+=(--warmup 5)
exec ./mend4j bench edit --model "$MODEL" --editor "$EDITOR" "${defaults[@]}" "$@"
