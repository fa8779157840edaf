#!/usr/bin/python3
"""Engine benchmark, PyTorch side: the same LLaMA decoder and the same benchmark as
bench/engine/engine.ts, mirroring src/models/{llama,rope,kv-cache}.ts and
src/generate/sample.ts op for op (plain tensors, no nn.Module, no fused attention:
torch 1.13 has no F.scaled_dot_product_attention, and our binding runs the same composite).
Prints one JSON line on stdout (progress on stderr).
    /usr/bin/python3 bench/engine/peer.py [configs.json]     env: THREADS (default 2), QUICK=1, BENCH_ONLY,
    DEVICE (cpu | cuda:N), BF16=1 (bfloat16 autocast for the training step)
"""
import json
import math
import os
import platform
import sys
import time

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = json.load(open(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "configs.json")))
THREADS = int(os.environ.get("THREADS", "2"))
QUICK = os.environ.get("QUICK") == "1"
DEVICE = os.environ.get("DEVICE", "cpu")
BF16 = os.environ.get("BF16") == "1"


def sync():
    if DEVICE.startswith("cuda"):
        torch.cuda.synchronize()


def log(msg):
    sys.stderr.write(f"[pytorch] {msg}\n")
    sys.stderr.flush()


torch.set_num_threads(THREADS)
torch.manual_seed(0)


# ---- src/models/config.ts (the fields the benchmark uses) ----------------------------------
def llama_config(c):
    heads = c["numAttentionHeads"]
    return {
        "vocabSize": c["vocabSize"], "hiddenSize": c["hiddenSize"],
        "intermediateSize": c.get("intermediateSize", 4 * c["hiddenSize"]),
        "numHiddenLayers": c["numHiddenLayers"], "numAttentionHeads": heads,
        "numKeyValueHeads": c.get("numKeyValueHeads", heads),
        "headDim": c.get("headDim", c["hiddenSize"] // heads),
        "rmsNormEps": c.get("rmsNormEps", 1e-6), "ropeTheta": c.get("ropeTheta", 10000),
        "initializerRange": c.get("initializerRange", 0.02),
        "tieWordEmbeddings": False, "padTokenId": None,
    }


# ---- src/models/rope.ts --------------------------------------------------------------------
def inverse_frequencies(head_dim, theta, device="cpu"):
    i = torch.arange(0, head_dim, 2, dtype=torch.int64, device=device).float()
    return i.div(head_dim).mul(math.log(theta)).neg().exp()


def rotary_tables(positions, inv_freq, dtype):
    freqs = positions.float().unsqueeze(-1).mul(inv_freq)  # [B, T, d/2]
    emb = torch.cat([freqs, freqs], -1).unsqueeze(1)  # [B, 1, T, d]
    return emb.cos().to(dtype), emb.sin().to(dtype)


def apply_rotary(x, cos, sin):
    half = x.size(-1) // 2
    rotated = torch.cat([x.narrow(-1, half, half).neg(), x.narrow(-1, 0, half)], -1)
    return x.mul(cos).add(rotated.mul(sin))


# ---- src/models/kv-cache.ts ----------------------------------------------------------------
class KVCache:
    def __init__(self, layers, batch, kv_heads, capacity, head_dim, dtype, device):
        self.capacity = capacity
        self.length = 0
        self.keys = [torch.zeros([batch, kv_heads, capacity, head_dim], dtype=dtype, device=device) for _ in range(layers)]
        self.values = [torch.zeros([batch, kv_heads, capacity, head_dim], dtype=dtype, device=device) for _ in range(layers)]

    def update(self, layer, k, v):
        t = k.size(2)
        if self.length + t > self.capacity:
            raise RuntimeError(f"KV cache full: {self.length} + {t} positions > capacity {self.capacity}")
        K, V = self.keys[layer], self.values[layer]
        with torch.no_grad():
            K.narrow(2, self.length, t).copy_(k)
            V.narrow(2, self.length, t).copy_(v)
        return K.narrow(2, 0, self.length + t), V.narrow(2, 0, self.length + t)


# ---- src/tensor/functional.ts scaledDotProductAttention: native/src/nn.cc -------------------
def sdpa(q, k, v, mask=None, causal=False, scale=None):
    if hasattr(F, "scaled_dot_product_attention"):  # torch >= 2: the fused kernels, as nn.cc there
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=causal, scale=scale)
    if scale is None:
        scale = 1.0 / math.sqrt(q.size(-1))
    s = torch.matmul(q, k.transpose(-2, -1)).mul_(scale)
    if causal:
        allowed = torch.ones([q.size(-2), k.size(-2)], dtype=torch.bool, device=q.device).tril(k.size(-2) - q.size(-2))
        s.masked_fill_(allowed.logical_not(), -math.inf)
    if mask is not None:
        if mask.dtype == torch.bool:
            s.masked_fill_(mask.logical_not(), -math.inf)
        else:
            s.add_(mask)
    return torch.matmul(torch.softmax(s, -1), v)


# ---- src/models/llama.ts -------------------------------------------------------------------
def rms_norm(x, weight, eps):
    xf = x if x.dtype in (torch.float32, torch.float64) else x.float()
    normed = xf.mul(xf.square().mean(-1, True).add(eps).rsqrt())
    return weight.mul(normed.to(x.dtype))


def parameter_shapes(c):
    s = {}
    H, D, I = c["hiddenSize"], c["headDim"], c["intermediateSize"]
    q, kv = c["numAttentionHeads"] * D, c["numKeyValueHeads"] * D
    s["model.embed_tokens.weight"] = [c["vocabSize"], H]
    for i in range(c["numHiddenLayers"]):
        p = f"model.layers.{i}."
        s[f"{p}input_layernorm.weight"] = [H]
        s[f"{p}post_attention_layernorm.weight"] = [H]
        for n, out in (("q", q), ("k", kv), ("v", kv)):
            s[f"{p}self_attn.{n}_proj.weight"] = [out, H]
        s[f"{p}self_attn.o_proj.weight"] = [H, q]
        for n, out, inp in (("gate", I, H), ("up", I, H), ("down", H, I)):
            s[f"{p}mlp.{n}_proj.weight"] = [out, inp]
    s["model.norm.weight"] = [H]
    s["lm_head.weight"] = [c["vocabSize"], H]
    return s


class LlamaForCausalLM:
    def __init__(self, config, params):
        self.config = config
        self.params = params
        for name, shape in parameter_shapes(config).items():
            assert list(params[name].shape) == shape, name
        g = params.__getitem__
        self.layers = []
        for i in range(config["numHiddenLayers"]):
            p = f"model.layers.{i}."
            self.layers.append({
                "inputNorm": g(f"{p}input_layernorm.weight"), "postNorm": g(f"{p}post_attention_layernorm.weight"),
                "q": g(f"{p}self_attn.q_proj.weight"), "k": g(f"{p}self_attn.k_proj.weight"),
                "v": g(f"{p}self_attn.v_proj.weight"), "o": g(f"{p}self_attn.o_proj.weight"),
                "gate": g(f"{p}mlp.gate_proj.weight"), "up": g(f"{p}mlp.up_proj.weight"), "down": g(f"{p}mlp.down_proj.weight"),
            })
        self.inv_freq = inverse_frequencies(config["headDim"], config["ropeTheta"], self.device)

    @staticmethod
    def init(config, dtype=torch.float32, device="cpu"):
        params = {}
        with torch.no_grad():
            for name, shape in parameter_shapes(config).items():
                if name.endswith("norm.weight"):
                    t = torch.ones(shape, dtype=dtype, device=device)
                else:
                    t = torch.randn(shape, dtype=dtype, device=device).mul_(config["initializerRange"])
                params[name] = t
        return LlamaForCausalLM(config, params)

    @property
    def embedding(self):
        return self.params["model.embed_tokens.weight"]

    @property
    def lm_head(self):
        return self.params["lm_head.weight"]

    @property
    def device(self):
        return self.embedding.device

    @property
    def dtype(self):
        return self.embedding.dtype

    def parameters(self):
        return list(self.params.values())

    def num_parameters(self):
        return sum(p.numel() for p in self.parameters())

    def requires_grad_(self, on=True):
        for p in self.parameters():
            p.requires_grad_(on)
        return self

    def new_cache(self, batch, capacity):
        c = self.config
        return KVCache(c["numHiddenLayers"], batch, c["numKeyValueHeads"], capacity, c["headDim"], self.dtype, self.device)

    def hidden(self, ids, positions=None, attention_mask=None, cache=None):
        c = self.config
        B, T = ids.shape
        past = cache.length if cache is not None else 0
        if positions is None:
            positions = torch.arange(past, past + T, 1, device=self.device).unsqueeze(0).expand(B, T)
        cos, sin = rotary_tables(positions, self.inv_freq, self.dtype)
        mask = self.attention_mask(B, T, past, attention_mask)
        x = F.embedding(ids, self.embedding)
        for i, L in enumerate(self.layers):
            h = x.add(self.attention(L, rms_norm(x, L["inputNorm"], c["rmsNormEps"]), cos, sin, mask, cache, i))
            x = h.add(self.mlp(L, rms_norm(h, L["postNorm"], c["rmsNormEps"])))
        if cache is not None:
            cache.length += T
        return rms_norm(x, self.params["model.norm.weight"], c["rmsNormEps"])

    def forward(self, ids, positions=None, attention_mask=None, cache=None, last_only=False):
        h = self.hidden(ids, positions, attention_mask, cache)
        if last_only:
            h = h.narrow(1, h.size(1) - 1, 1)
        return F.linear(h, self.lm_head)

    def attention(self, L, x, cos, sin, mask, cache, layer):
        c = self.config
        B, T = x.shape[0], x.shape[1]

        def heads(w, n):
            return F.linear(x, w).view(B, T, n, c["headDim"]).transpose(1, 2)

        q = apply_rotary(heads(L["q"], c["numAttentionHeads"]), cos, sin)
        k = apply_rotary(heads(L["k"], c["numKeyValueHeads"]), cos, sin)
        v = heads(L["v"], c["numKeyValueHeads"])
        if cache is not None:
            k, v = cache.update(layer, k, v)
        G = c["numAttentionHeads"] // c["numKeyValueHeads"]
        if G == 1:
            y = sdpa(q, k, v, mask=None if isinstance(mask, str) else mask, causal=isinstance(mask, str) and mask == "causal")
        else:
            # grouped-query attention without copying K/V per group (as llama.ts)
            past = k.size(2) - T
            if isinstance(mask, str) and mask == "causal":
                rows = self.causal_block(T, past).repeat(G, 1)
            else:
                rows = mask.repeat(1, 1, G, 1) if mask is not None else None
            y = sdpa(q.reshape(B, c["numKeyValueHeads"], G * T, c["headDim"]), k, v, mask=rows).reshape(B, c["numAttentionHeads"], T, c["headDim"])
        return F.linear(y.transpose(1, 2).reshape(B, T, c["numAttentionHeads"] * c["headDim"]), L["o"])

    def mlp(self, L, x):
        return F.linear(F.silu(F.linear(x, L["gate"])).mul(F.linear(x, L["up"])), L["down"])

    def attention_mask(self, B, T, past, padding=None):
        if padding is None:
            if past == 0:
                return "causal" if T > 1 else None
            return None if T == 1 else self.causal_block(T, past).unsqueeze(0).unsqueeze(0)
        Tk = past + T
        keys = padding.narrow(1, 0, Tk).bool().view(B, 1, 1, Tk)
        if T == 1:
            return keys
        causal = self.causal_block(T, past)
        this = torch.arange(0, T, 1, device=self.device).unsqueeze(1).add(past).eq(torch.arange(0, Tk, 1, device=self.device).unsqueeze(0))
        return keys.logical_and(causal.view(1, 1, T, Tk)).logical_or(this.view(1, 1, T, Tk))

    def causal_block(self, T, past):
        return torch.ones([T, past + T], dtype=torch.bool, device=self.device).tril(past)


# ---- src/generate/sample.ts (top-k / top-p off: their filters return the logits as they are) --
def generate(model, prompts, max_new_tokens, temperature=1.0, greedy=False, stop_tokens=None, pad_token_id=None):
    B = len(prompts)
    if B == 0:
        return {"tokens": [], "logprobs": [], "finishReasons": []}
    L = max(len(p) for p in prompts)
    pad = pad_token_id if pad_token_id is not None else (model.config["padTokenId"] or 0)
    temperature = 1.0 if greedy else temperature
    stops = [set(stop_tokens or []) for _ in range(B)]
    device = model.device
    padded = any(len(p) != L for p in prompts)
    cache = model.new_cache(B, L + max_new_tokens)
    out = {"tokens": [[] for _ in prompts], "logprobs": [[] for _ in prompts], "finishReasons": ["length" for _ in prompts]}
    done = [False] * B

    mask = None
    if padded:
        with torch.no_grad():
            mask = torch.ones([B, L + max_new_tokens], dtype=torch.int64, device=device)
            for b, p in enumerate(prompts):
                if len(p) < L:
                    mask.narrow(0, b, 1).narrow(1, 0, L - len(p)).zero_()
    next_pos = [len(p) for p in prompts] if padded else None

    with torch.no_grad():
        ids = torch.tensor([[pad] * (L - len(p)) + list(p) for p in prompts], dtype=torch.int64, device=device)
        positions = mask.narrow(1, 0, L).cumsum(1).sub(1).clamp(0) if mask is not None else None
        logits = model.forward(ids, positions=positions, attention_mask=mask, cache=cache, last_only=True).select(1, 0)
    for step in range(max_new_tokens):
        with torch.no_grad():
            nxt, logp = pick(logits, temperature, greedy)
        del logits
        ids, lps = nxt.tolist(), logp.tolist()
        del nxt, logp
        for b in range(B):
            if done[b]:
                ids[b] = pad
                continue
            out["tokens"][b].append(ids[b])
            out["logprobs"][b].append(lps[b])
            if ids[b] in stops[b]:
                done[b] = True
                out["finishReasons"][b] = "stop"
        if all(done) or step == max_new_tokens - 1:
            break
        with torch.no_grad():
            inp = torch.tensor(ids, dtype=torch.int64, device=device).view(B, 1)
            positions = torch.tensor(next_pos, dtype=torch.int64, device=device).view(B, 1) if next_pos is not None else None
            logits = model.forward(inp, positions=positions, attention_mask=mask, cache=cache, last_only=True).select(1, 0)
        if next_pos is not None:
            next_pos = [p + 1 for p in next_pos]
    return out


def pick(logits, temperature, greedy):
    scaled = (logits if temperature == 1 else logits.div(temperature)).float()
    logprobs = scaled.log_softmax(-1)
    if greedy:
        nxt = scaled.argmax(-1, True)
    else:
        nxt = torch.multinomial(scaled.softmax(-1), 1)
    return nxt.squeeze(1), logprobs.gather(-1, nxt).squeeze(1)


# ---- the benchmark (as bench/engine/engine.ts) ----------------------------------------------
def config_of(name):
    return llama_config({**BENCH["models"][name], **BENCH["common"]})


results = []
params = {}


def train_bench(name):
    config = config_of(name)
    model = LlamaForCausalLM.init(config, device=DEVICE).requires_grad_()
    params[name] = model.num_parameters()
    ps = model.parameters()
    tr = BENCH["train"]
    B, T, V = tr["batch"], tr["seq"], config["vocabSize"]
    opt = torch.optim.AdamW(ps, lr=tr["lr"], weight_decay=tr["weightDecay"])
    ids, targets = torch.randint(0, V, [B, T], device=DEVICE), torch.randint(0, V, [B, T], device=DEVICE)

    def step():
        with torch.autocast(DEVICE.split(":")[0], dtype=torch.bfloat16, enabled=BF16):
            loss = F.cross_entropy(model.forward(ids).view(-1, V).float(), targets.view(-1))
        loss.backward()
        float(torch.nn.utils.clip_grad_norm_(ps, tr["maxGradNorm"]))  # ours returns the norm as a number
        opt.step()
        opt.zero_grad(set_to_none=True)

    warmup = tr["quick"]["warmup"] if QUICK else tr["warmup"]
    steps = tr["quick"]["steps"] if QUICK else tr["steps"][name]
    for _ in range(warmup):
        step()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        sync()
        times.append(time.perf_counter() - t0)
    seconds = sum(times)
    r = {"name": f"train {name} b{B} s{T}{' bf16' if BF16 else ''}", "kind": "train", "model": name, "batch": B, "tokens": B * T * steps, "seconds": seconds,
         "tokensPerSec": B * T * steps / seconds, "steps": steps, "secPerStep": seconds / steps, "minSecPerStep": min(times)}
    log(f"{r['name']}: {r['tokensPerSec']:.0f} tok/s ({seconds / steps:.3f} s/step, {params[name]} params)")
    results.append(r)


def sample_bench(name, B):
    config = config_of(name)
    model = LlamaForCausalLM.init(config, device=DEVICE)
    params.setdefault(name, model.num_parameters())
    s = BENCH["sample"]
    new_tokens = s["quick"]["newTokens"] if QUICK else s["newTokens"]
    reps = s["quick"]["reps"] if QUICK else s["reps"]
    prompts = torch.randint(0, config["vocabSize"], [B, s["promptLength"]]).tolist()
    # one untimed run of the same length first (allocator and caches settle; the first run is slower)
    generate(model, prompts, new_tokens, temperature=s["temperature"])
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        g = generate(model, prompts, new_tokens, temperature=s["temperature"])
        times.append(time.perf_counter() - t0)
        produced = sum(len(t) for t in g["tokens"])
        if produced != B * new_tokens:
            raise RuntimeError(f"sampling produced {produced} tokens, expected {B * new_tokens}")
    seconds = sum(times)
    r = {"name": f"sample {name} b{B} new{new_tokens}", "kind": "sample", "model": name, "batch": B, "tokens": B * new_tokens * reps,
         "seconds": seconds, "tokensPerSec": B * new_tokens * reps / seconds, "bestTokensPerSec": B * new_tokens / min(times), "reps": reps, "newTokens": new_tokens,
         "promptLength": s["promptLength"], "secPerRep": times}
    log(f"{r['name']}: {r['tokensPerSec']:.0f} tok/s ({', '.join(f'{t:.2f}' for t in times)} s)")
    results.append(r)


def ops_bench():
    """Per-op overhead: a chain of 8 ops on a 2x8 tensor, where dispatch dominates the kernel (no grad)."""
    a, b = torch.randn(2, 8), torch.randn(2, 8)
    n = 2000 if QUICK else 20000
    times = []
    with torch.no_grad():
        for _ in range(1000):
            a.mul(b).add(a).transpose(0, 1).narrow(0, 0, 4).reshape(-1).neg().exp().sum()
        for _ in range(3):
            t0 = time.perf_counter()
            for _ in range(n):
                a.mul(b).add(a).transpose(0, 1).narrow(0, 0, 4).reshape(-1).neg().exp().sum()
            times.append(time.perf_counter() - t0)
    seconds = min(times)
    r = {"name": "small ops (8-op chain, 2x8)", "kind": "ops", "model": "-", "batch": 1, "tokens": 8 * n, "seconds": seconds,
         "tokensPerSec": 8 * n / seconds, "nsPerOp": seconds * 1e9 / (8 * n)}
    log(f"{r['name']}: {r['nsPerOp']:.0f} ns/op")
    results.append(r)


log(f"torch {torch.__version__}, threads {torch.get_num_threads()}, device {DEVICE}{', bf16' if BF16 else ''}{', QUICK' if QUICK else ''}")
# BENCH_ONLY=train/1M,sample/10M/32 runs a subset (run.sh runs one at a time, alternating sides)
ONLY = set(os.environ["BENCH_ONLY"].split(",")) if os.environ.get("BENCH_ONLY") else None
for name in BENCH["models"]:
    if ONLY is None or f"train/{name}" in ONLY:
        train_bench(name)
for name in BENCH["models"]:
    for B in BENCH["sample"]["batches"]:
        if ONLY is None or f"sample/{name}/{B}" in ONLY:
            sample_bench(name, B)
if ONLY is None or "ops" in ONLY:
    ops_bench()

print(json.dumps({"impl": "pytorch", "torch": torch.__version__, "python": platform.python_version(), "threads": torch.get_num_threads(), "device": DEVICE, "bf16": BF16,
                  "quick": QUICK, "params": params, "results": results}), flush=True)
