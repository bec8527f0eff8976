"""Llama architecture in PyTorch with Hugging Face's tensor names and conventions
(RMSNorm, RoPE with rotate-half, grouped-query attention, SwiGLU, tied embeddings)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

# Training rows longer than this attend block by block (see Attention.forward).
QUERY_BLOCK = 256

CONFIGS = {
    # ~0.20M parameters (1/9.3 of the large one): the probe and fast model. Three narrow layers rather than two:
    # copying a spec's names and constants into code needs the third layer (5-epoch pilot on code + qa: 80% of
    # held-out code passes with three layers, 30% with two). A layer is a fixed share of a decode step, so the third
    # one is paid for by ref-large's depth: 3.6x ref-large's tokens/s (tools/train/README.md, "Last run").
    "ref-small": dict(hidden_size=64, intermediate_size=176, num_hidden_layers=3, num_attention_heads=4,
                      num_key_value_heads=2, max_position_embeddings=512),
    # ~1.89M parameters (9.3x the small one): the backbone. Eight layers of 144: depth is what multi-step arithmetic
    # and long-range retrieval need, and at these sizes each layer is a fixed share of a decode step, so depth is also
    # what keeps ref-small >= 3x faster (random-weight decode steps, gear 128, one thread: 3x64 142 us, 6x144 454 us,
    # 8x128 478 us, 8x144 542 us).
    "ref-large": dict(hidden_size=144, intermediate_size=384, num_hidden_layers=8, num_attention_heads=4,
                      num_key_value_heads=1, max_position_embeddings=2048),
}


def full_config(name, vocab_size, bos_id, eos_id, pad_id):
    c = dict(CONFIGS[name])
    c.update(architectures=["LlamaForCausalLM"], model_type="llama", vocab_size=vocab_size, rms_norm_eps=1e-5,
             rope_theta=10000.0, tie_word_embeddings=True, hidden_act="silu", bos_token_id=bos_id,
             eos_token_id=eos_id, pad_token_id=pad_id, torch_dtype="float32", attention_bias=False,
             head_dim=c["hidden_size"] // c["num_attention_heads"])
    return c


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rope_tables(head_dim, positions, theta):
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim))
    freqs = positions.float()[..., None] * inv_freq  # (..., T, head_dim/2)
    emb = torch.cat([freqs, freqs], dim=-1)
    return emb.cos(), emb.sin()


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.h, self.kv, self.d = c["num_attention_heads"], c["num_key_value_heads"], c["head_dim"]
        hs = c["hidden_size"]
        self.q_proj = nn.Linear(hs, self.h * self.d, bias=False)
        self.k_proj = nn.Linear(hs, self.kv * self.d, bias=False)
        self.v_proj = nn.Linear(hs, self.kv * self.d, bias=False)
        self.o_proj = nn.Linear(self.h * self.d, hs, bias=False)

    def forward(self, x, cos, sin, mask, cache=None):
        B, T, _ = x.shape
        q = self.q_proj(x).view(B, T, self.h, self.d).transpose(1, 2)   # (B, h, T, d)
        k = self.k_proj(x).view(B, T, self.kv, self.d).transpose(1, 2)  # (B, kv, T, d)
        v = self.v_proj(x).view(B, T, self.kv, self.d).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if cache is not None:
            if "k" in cache:
                k = torch.cat([cache["k"], k], dim=2)
                v = torch.cat([cache["v"], v], dim=2)
            cache["k"], cache["v"] = k, v
        # Grouped-query attention without repeating K/V: the `rep` query heads sharing a K/V head are stacked
        # along the rows, so each group is one batched matmul; the scale and the additive mask ride in baddbmm.
        rep, S = self.h // self.kv, k.shape[2]
        q = q.reshape(B * self.kv, rep, T, self.d)
        k = k.reshape(B * self.kv, S, self.d)
        v = v.reshape(B * self.kv, S, self.d)
        if mask is None or T <= QUERY_BLOCK or S != T:
            y = self._attend(q, k, v, mask)
        else:
            # Causal training rows: query block [s, e) sees keys [0, e) only, so the masked upper triangle is
            # never computed and each block's score matrix stays small enough to live in cache.
            y = torch.cat([self._attend(q[:, :, s:s + QUERY_BLOCK], k[:, :s + QUERY_BLOCK], v[:, :s + QUERY_BLOCK],
                                        mask[s:s + QUERY_BLOCK, :s + QUERY_BLOCK])
                           for s in range(0, T, QUERY_BLOCK)], dim=2)
        y = y.view(B, self.h, T, self.d)
        return self.o_proj(y.transpose(1, 2).reshape(B, T, self.h * self.d))

    def _attend(self, q, k, v, mask):
        """q: (G, rep, Tq, d) for G = batch x K/V heads; k, v: (G, S, d); mask: additive (Tq, S) or None."""
        G, rep, Tq, _ = q.shape
        S = k.shape[1]
        q = q.reshape(G, rep * Tq, self.d)
        if mask is None:
            att = torch.bmm(q, k.transpose(1, 2)) * (1.0 / math.sqrt(self.d))
        else:  # additive: 0 where visible, -inf where not; the same (Tq, S) mask for every head of the group
            bias = mask.repeat(rep, 1).expand(G, rep * Tq, S)
            att = torch.baddbmm(bias, q, k.transpose(1, 2), alpha=1.0 / math.sqrt(self.d))
        return torch.bmm(F.softmax(att, dim=-1), v).view(G, rep, Tq, self.d)


class Mlp(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.gate_proj = nn.Linear(c["hidden_size"], c["intermediate_size"], bias=False)
        self.up_proj = nn.Linear(c["hidden_size"], c["intermediate_size"], bias=False)
        self.down_proj = nn.Linear(c["intermediate_size"], c["hidden_size"], bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self_attn = Attention(c)
        self.mlp = Mlp(c)
        self.input_layernorm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])
        self.post_attention_layernorm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])

    def forward(self, x, cos, sin, mask, cache=None):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, mask, cache)
        return x + self.mlp(self.post_attention_layernorm(x))


class Inner(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embed_tokens = nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.layers = nn.ModuleList([Layer(c) for _ in range(c["num_hidden_layers"])])
        self.norm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])


class LlamaForCausalLM(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.config = c
        self.model = Inner(c)
        self.apply(self._init)

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)

    def forward(self, ids, positions, mask, caches=None):
        """ids, positions: (B, T); mask: (T, S) additive float or None. Returns logits (B, T, vocab)."""
        x = self.model.embed_tokens(ids)
        cos, sin = rope_tables(self.config["head_dim"], positions, self.config["rope_theta"])
        cos, sin = cos[:, None], sin[:, None]  # (B, 1, T, d) broadcast over heads
        for i, layer in enumerate(self.model.layers):
            x = layer(x, cos, sin, mask, None if caches is None else caches[i])
        x = self.model.norm(x)
        return x @ self.model.embed_tokens.weight.t()  # tied head

    def state_for_export(self):
        """HF names; the tied head is not written (tie_word_embeddings=true)."""
        return {k: v.detach().float().contiguous() for k, v in self.state_dict().items()}

    def num_parameters(self):
        return sum(p.numel() for p in self.parameters())
