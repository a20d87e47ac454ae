#!/usr/bin/env python3
"""Traces a HuggingFace GPT-2 checkpoint into TorchScript the way DJL serves GPT-2.

The traced module has HF's parameter names and layouts (``transformer.h.0.mlp.c_fc.weight`` as a
Conv1D ``[in, out]`` matrix, the head tied to ``transformer.wte.weight``) and DJL's text-generation
signature (``ai.djl.pytorch.zoo.nlp.textgeneration.PtGptTranslator``):

    forward(input_ids [B, T], position_ids [B, T], attention_mask [B, P + T],
            past_key_values ((k, v) per layer, each [B, heads, P, head_dim]))
        -> (logits [B, T, vocab], ((k, v) per layer, each [B, heads, P + T, head_dim]))

It needs only Debian's python3-torch (no transformers package): the model is written out below,
and the checkpoint's safetensors file is read directly. The output directory gets the traced
module (``NAME.pt``, named after the directory, as DJL's ``Model.load`` looks for it), and the
checkpoint's config and tokenizer files. Tensor names may omit the ``transformer.`` prefix, as in
OpenAI's original GPT-2 checkpoints.

    /usr/bin/python3 scripts/trace-torchscript.py models/world-gpt2 models/world-gpt2-torchscript
"""

import json
import math
import shutil
import struct
import sys
from pathlib import Path

import torch
from torch import nn

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}
COPIED = ["config.json", "tokenizer.json", "vocab.json", "merges.txt"]


def read_safetensors(path):
    data = path.read_bytes()
    (header_len,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + header_len])
    body = data[8 + header_len :]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        flat = torch.frombuffer(bytearray(body[start:end]), dtype=DTYPES[info["dtype"]])
        tensors[name] = flat.reshape(info["shape"]).to(torch.float32)
    return tensors


class Conv1D(nn.Module):
    """HF's projection: ``x @ weight + bias`` with ``weight`` stored ``[in, out]``."""

    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(n_in, n_out))
        self.bias = nn.Parameter(torch.zeros(n_out))

    def forward(self, x):
        return torch.addmm(self.bias, x.reshape(-1, x.size(-1)), self.weight).reshape(
            x.shape[:-1] + (self.weight.size(1),)
        )


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x.pow(3))))


class Attention(nn.Module):
    def __init__(self, n_embd, n_head):
        super().__init__()
        self.n_head = n_head
        self.head_dim = n_embd // n_head
        self.c_attn = Conv1D(n_embd, 3 * n_embd)
        self.c_proj = Conv1D(n_embd, n_embd)

    def split(self, x):
        b, t, _ = x.shape
        return x.view(b, t, self.n_head, self.head_dim).permute(0, 2, 1, 3)

    def forward(self, x, mask, past_k, past_v):
        q, k, v = self.c_attn(x).split(x.size(-1), dim=2)
        q, k, v = self.split(q), self.split(k), self.split(v)
        k = torch.cat([past_k, k], dim=-2)
        v = torch.cat([past_v, v], dim=-2)
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim)
        scores = scores + mask
        out = torch.matmul(torch.softmax(scores, dim=-1), v)
        b, _, t, _ = out.shape
        out = out.permute(0, 2, 1, 3).reshape(b, t, self.n_head * self.head_dim)
        return self.c_proj(out), k, v


class Mlp(nn.Module):
    def __init__(self, n_embd, n_inner):
        super().__init__()
        self.c_fc = Conv1D(n_embd, n_inner)
        self.c_proj = Conv1D(n_inner, n_embd)

    def forward(self, x):
        return self.c_proj(gelu_new(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self, config):
        super().__init__()
        n_embd, eps = config["n_embd"], config["layer_norm_epsilon"]
        self.ln_1 = nn.LayerNorm(n_embd, eps=eps)
        self.attn = Attention(n_embd, config["n_head"])
        self.ln_2 = nn.LayerNorm(n_embd, eps=eps)
        self.mlp = Mlp(n_embd, config.get("n_inner") or 4 * n_embd)

    def forward(self, x, mask, past_k, past_v):
        a, k, v = self.attn(self.ln_1(x), mask, past_k, past_v)
        x = x + a
        return x + self.mlp(self.ln_2(x)), k, v


class Transformer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.wte = nn.Embedding(config["vocab_size"], config["n_embd"])
        self.wpe = nn.Embedding(config["n_positions"], config["n_embd"])
        self.h = nn.ModuleList([Block(config) for _ in range(config["n_layer"])])
        self.ln_f = nn.LayerNorm(config["n_embd"], eps=config["layer_norm_epsilon"])


class Gpt2LmHead(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.transformer = Transformer(config)

    def forward(self, input_ids, position_ids, attention_mask, past_key_values):
        t = input_ids.size(1)
        past_len = past_key_values[0][0].size(2)
        # Causal within the new tokens, all of the past visible, padding (mask 0) hidden.
        causal = torch.ones(t, past_len + t, dtype=torch.bool, device=input_ids.device).tril(past_len)
        visible = causal[None, None, :, :] & (attention_mask[:, None, None, :] > 0)
        mask = torch.zeros(visible.shape, dtype=torch.float32).masked_fill(
            ~visible, torch.finfo(torch.float32).min
        )
        x = self.transformer.wte(input_ids) + self.transformer.wpe(position_ids)
        present = []
        for block, (past_k, past_v) in zip(self.transformer.h, past_key_values):
            x, k, v = block(x, mask, past_k, past_v)
            present.append((k, v))
        x = self.transformer.ln_f(x)
        logits = torch.matmul(x, self.transformer.wte.weight.t())
        return logits, tuple(present)


def main(src, out):
    src, out = Path(src), Path(out)
    config = json.loads((src / "config.json").read_text())
    model = Gpt2LmHead(config).eval()
    weights = {
        name if name.startswith(("transformer.", "lm_head.")) else "transformer." + name: tensor
        for name, tensor in read_safetensors(src / "model.safetensors").items()
    }
    missing, unexpected = model.load_state_dict(weights, strict=False)
    unexpected = [n for n in unexpected if n != "lm_head.weight"]
    if missing or unexpected:
        sys.exit(
            f"checkpoint does not match GPT-2: {len(missing)} missing ({missing[:3]}...),"
            f" {len(unexpected)} unexpected ({unexpected[:3]}...)"
        )
    heads, head_dim = config["n_head"], config["n_embd"] // config["n_head"]
    past = tuple(
        (torch.zeros(1, heads, 1, head_dim), torch.zeros(1, heads, 1, head_dim))
        for _ in range(config["n_layer"])
    )
    ids = torch.tensor([[1, 2, 3]])
    example = (ids, torch.tensor([[0, 1, 2]]), torch.tensor([[0, 1, 1, 1]]), past)
    with torch.no_grad():
        traced = torch.jit.trace(model, example, check_trace=True)
    out.mkdir(parents=True, exist_ok=True)
    traced.save(str(out / (out.name + ".pt")))
    for name in COPIED:
        if (src / name).exists():
            shutil.copyfile(src / name, out / name)
    print(f"traced {src} into {out / (out.name + '.pt')}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: trace-torchscript.py HF_CHECKPOINT_DIR OUT_DIR")
    main(sys.argv[1], sys.argv[2])
