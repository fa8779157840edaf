// The native decode step: one call runs a whole token step of the LLaMA / Qwen2 decoder
// (src/core/models/llama.ts) for a batch of rows with their KV cache, then chooses each row's
// next token as src/core/generate/sample.ts's pick() does, and returns the tokens and their
// log-probabilities. It calls the same ATen ops, in the same order, on tensors of the same
// shapes and layouts as the TypeScript path, so both give bit-identical tokens and
// log-probabilities; it only saves the per-op trips through JavaScript and the handle table.
// The TypeScript model stays the definition: change one, change the other
// (test/unit/native-decode.test.ts compares them).
#include "handle.h"
#include <ATen/core/grad_mode.h>
#include <cmath>
#include <string>

using namespace rw;

namespace {

const napi_type_tag kDecoderTag = {0x3c1f0a7e9d2b4c61ULL, 0x1122334455667788ULL};

struct Layer {
  // in llama.ts's Layer order: inputNorm, postNorm, q, qb, k, kb, v, vb, o, ob, gate, gateB, up, upB, down, downB
  at::Tensor inputNorm, postNorm, q, qb, k, kb, v, vb, o, ob, gate, gateB, up, upB, down, downB;
};

struct Decoder {
  int64_t heads = 0, kvHeads = 0, headDim = 0;
  double eps = 0;
  std::vector<Layer> layers;
  at::Tensor embed, norm, lmHead, invFreq;
  std::vector<at::Tensor> keys, values;  // the KV cache's [B, Hkv, capacity, d] buffers (shared with JS)
  at::Tensor mask;                       // [B, capacity] int64 (0 on left padding), or undefined
  // sampling
  bool greedy = false;
  double temperature = 1, topP = 1;
  int64_t topK = 0;
  bool hasRange = false;
  int64_t lo = 0, hi = 0;

  void clear() {
    layers.clear();
    keys.clear();
    values.clear();
    embed.reset();
    norm.reset();
    lmHead.reset();
    invFreq.reset();
    mask.reset();
  }
};

Decoder& decoder(const Napi::Value& v) {
  if (!v.IsExternal()) throw Napi::TypeError::New(v.Env(), "expected a native decoder");
  auto ext = v.As<Napi::External<Decoder>>();
  if (!ext.CheckTypeTag(&kDecoderTag)) throw Napi::TypeError::New(v.Env(), "expected a native decoder");
  if (ext.Data()->layers.empty()) throw Napi::Error::New(v.Env(), "native decoder used after dispose()");
  return *ext.Data();
}

c10::optional<at::Tensor> opt(const at::Tensor& t) { return t.defined() ? c10::optional<at::Tensor>(t) : c10::nullopt; }

// Tensor.to(dtype) / .float() / .bool() of tensor.ts: native.to(t, dtype, null)
at::Tensor castTo(const at::Tensor& t, at::ScalarType dt) { return t.to(at::TensorOptions().dtype(dt).device(t.device())); }

// tensor(values, { dtype, device }) of tensor.ts for a flat list: [n] of `dt` on `dev`
at::Tensor fromList(const std::vector<double>& xs, at::ScalarType dt, c10::Device dev) {
  auto t = at::empty({static_cast<int64_t>(xs.size())}, at::TensorOptions().dtype(at::kDouble));
  std::copy(xs.begin(), xs.end(), t.data_ptr<double>());
  t = t.to(dt, false, /*copy=*/true);
  return dev.is_cpu() ? t : t.to(dev);
}

std::vector<double> numbers(const Napi::Value& v) {
  auto arr = v.As<Napi::Array>();
  std::vector<double> out(arr.Length());
  for (uint32_t i = 0; i < arr.Length(); i++) out[i] = arr.Get(i).As<Napi::Number>().DoubleValue();
  return out;
}

// ---- the model (llama.ts) ---------------------------------------------------------------

// rmsNorm(): w · (x / √(mean(x²) + ε)) in float32
at::Tensor rmsNorm(const at::Tensor& x, const at::Tensor& w, double eps) {
  auto dt = x.scalar_type();
  at::Tensor xf = dt == at::kFloat || dt == at::kDouble ? x : castTo(x, at::kFloat);
  std::vector<int64_t> last{-1};
  auto normed = at::mul(xf, at::rsqrt(at::add(at::mean(at::square(xf), last, true), scalarOf(eps))));
  return at::mul(w, castTo(normed, dt));
}

// applyRotary(): x·cos + rotate_half(x)·sin
at::Tensor applyRotary(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin) {
  int64_t half = x.size(-1) / 2;
  auto rotated = at::cat({at::neg(x.narrow(-1, half, half)), x.narrow(-1, 0, half)}, -1);
  return at::add(at::mul(x, cos), at::mul(rotated, sin));
}

at::Tensor heads(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b, int64_t n, int64_t d) {
  return at::linear(x, w, opt(b)).view({x.size(0), x.size(1), n, d}).transpose(1, 2);
}

// attention() with a KV cache: this step's keys and values are written at `past`
at::Tensor attentionBlock(Decoder& m, size_t i, const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin,
                          const c10::optional<at::Tensor>& mask, int64_t past) {
  const Layer& L = m.layers[i];
  int64_t B = x.size(0), T = x.size(1), d = m.headDim;
  auto q = applyRotary(heads(x, L.q, L.qb, m.heads, d), cos, sin);
  auto kNew = applyRotary(heads(x, L.k, L.kb, m.kvHeads, d), cos, sin);
  auto vNew = heads(x, L.v, L.vb, m.kvHeads, d);
  at::Tensor& K = m.keys[i];
  at::Tensor& V = m.values[i];
  K.narrow(2, past, T).copy_(kNew);
  V.narrow(2, past, T).copy_(vNew);
  auto k = K.narrow(2, 0, past + T), v = V.narrow(2, 0, past + T);
  int64_t G = m.heads / m.kvHeads;
  at::Tensor y;
  if (G == 1) {
    y = attention(q, k, v, mask, false, c10::nullopt);
  } else {
    c10::optional<at::Tensor> rows;
    if (mask) rows = mask->repeat({1, 1, G, 1});
    y = at::reshape(attention(at::reshape(q, {B, m.kvHeads, G * T, d}), k, v, rows, false, c10::nullopt),
                    {B, m.heads, T, d});
  }
  return at::linear(at::reshape(y.transpose(1, 2), {B, T, m.heads * d}), L.o, opt(L.ob));
}

at::Tensor mlp(const Layer& L, const at::Tensor& x) {
  return at::linear(at::mul(at::silu(at::linear(x, L.gate, opt(L.gateB))), at::linear(x, L.up, opt(L.upB))), L.down,
                    opt(L.downB));
}

// forward(ids [B, T], { cache, attentionMask, positions, lastOnly: true }).select(1, 0): logits [B, V]
at::Tensor forward(Decoder& m, const at::Tensor& ids, const c10::optional<at::Tensor>& positionsIn, int64_t past) {
  int64_t B = ids.size(0), T = ids.size(1);  // T = 1: the masks below are those of one query per row
  int64_t capacity = m.keys[0].size(2);
  if (past + T > capacity)
    throw std::runtime_error("KV cache full: " + std::to_string(past) + " + " + std::to_string(T) +
                             " positions > capacity " + std::to_string(capacity));
  auto device = m.embed.device();
  auto dtype = m.embed.scalar_type();
  at::Tensor positions = positionsIn ? *positionsIn
                                     : at::arange(scalarOf(static_cast<double>(past)), scalarOf(static_cast<double>(past + T)),
                                                  scalarOf(1), at::TensorOptions().dtype(at::kLong).device(device))
                                           .unsqueeze(0)
                                           .expand({B, T});
  // rotaryTables()
  auto freqs = at::mul(castTo(positions, at::kFloat).unsqueeze(-1), m.invFreq);
  auto emb = at::cat({freqs, freqs}, -1).unsqueeze(1);
  auto cos = castTo(at::cos(emb), dtype), sin = castTo(at::sin(emb), dtype);
  // attentionMask(): one query per row sees every earlier key but the padding
  c10::optional<at::Tensor> mask;
  if (m.mask.defined()) mask = castTo(m.mask.narrow(1, 0, past + T), at::kBool).view({B, 1, 1, past + T});
  auto x = at::embedding(m.embed, ids);
  for (size_t i = 0; i < m.layers.size(); i++) {
    const Layer& L = m.layers[i];
    auto h = at::add(x, attentionBlock(m, i, rmsNorm(x, L.inputNorm, m.eps), cos, sin, mask, past));
    x = at::add(h, mlp(L, rmsNorm(h, L.postNorm, m.eps)));
  }
  auto hn = rmsNorm(x, m.norm, m.eps);
  return at::linear(hn.narrow(1, hn.size(1) - 1, 1), m.lmHead, c10::nullopt).select(1, 0);
}

// ---- sampling (sample.ts pick(), logits.ts) ---------------------------------------------

// pick(): the next token per row [B, 1] and its log-probability [B]
std::pair<at::Tensor, at::Tensor> pick(const Decoder& m, const at::Tensor& logitsIn, const std::vector<double>* uniforms) {
  int64_t V = logitsIn.size(-1);
  at::Tensor logits = logitsIn;
  if (m.hasRange) {  // restrictToRange()
    auto ids = at::arange(scalarOf(0), scalarOf(static_cast<double>(V)), scalarOf(1),
                          at::TensorOptions().dtype(at::kLong).device(logits.device()));
    logits = at::where(at::logical_or(at::lt(ids, scalarOf(static_cast<double>(m.lo))),
                                      at::ge(ids, scalarOf(static_cast<double>(m.hi)))),
                       scalarOf(-1e9), logits);
  }
  auto scaled = castTo(m.temperature == 1 ? logits : at::div(logits, scalarOf(m.temperature)), at::kFloat);
  auto logprobs = at::log_softmax(scaled, -1);
  at::Tensor next;
  if (m.greedy) {
    next = at::argmax(scaled, -1, true);
  } else {
    at::Tensor f = scaled;
    if (!(m.topK <= 0 || m.topK >= V)) {  // topKFilter()
      auto kth = std::get<0>(at::topk(f, m.topK, -1, true, true)).narrow(-1, m.topK - 1, 1);
      f = at::masked_fill(f, at::lt(f, kth), scalarOf(-INFINITY));
    }
    if (!(m.topP >= 1)) {  // topPFilter()
      auto sorted = at::sort(f, -1, false);
      const at::Tensor& values = std::get<0>(sorted);
      const at::Tensor& indices = std::get<1>(sorted);
      auto cumulative = at::cumsum(at::softmax(values, -1), -1);
      auto dropSorted = at::le(cumulative, scalarOf(1 - m.topP));
      dropSorted.narrow(-1, f.size(-1) - 1, 1).fill_(at::Scalar(false));
      auto drop = at::scatter(dropSorted, -1, indices, dropSorted);
      f = at::where(drop, scalarOf(-INFINITY), f);
    }
    auto probs = at::softmax(f, -1);
    if (uniforms) {
      auto cdf = at::cumsum(probs, -1);
      int64_t n = cdf.size(-1);
      auto u = fromList(*uniforms, at::kFloat, cdf.device()).view({static_cast<int64_t>(uniforms->size()), 1});
      auto x = at::mul(u, cdf.narrow(-1, n - 1, 1));
      std::vector<int64_t> last{-1};
      next = at::clamp(at::sum(at::lt(cdf, x), last, true), c10::optional<at::Scalar>(scalarOf(0)),
                       c10::optional<at::Scalar>(scalarOf(static_cast<double>(n - 1))));
    } else {
      next = at::multinomial(probs, 1, false);
    }
  }
  return {next, at::gather(logprobs, -1, next).squeeze(1)};
}

// ---- exports ----------------------------------------------------------------------------

at::Tensor handleOrNone(const Napi::Value& v) {
  auto t = optT(v);
  return t ? *t : at::Tensor();
}

// decodeInit({ layers: (handle|null)[16][], embed, norm, lmHead, invFreq, heads, kvHeads, headDim, eps,
//              keys: handle[], values: handle[], mask: handle|null,
//              greedy, temperature, topK, topP, range: [lo, hi] | null }) -> decoder
RW_FN(decodeInit) {
  auto o = info[0].As<Napi::Object>();
  auto d = std::make_unique<Decoder>();
  d->heads = i64(o.Get("heads"));
  d->kvHeads = i64(o.Get("kvHeads"));
  d->headDim = i64(o.Get("headDim"));
  d->eps = num(o.Get("eps"));
  auto layers = o.Get("layers").As<Napi::Array>();
  for (uint32_t i = 0; i < layers.Length(); i++) {
    auto l = layers.Get(i).As<Napi::Array>();
    if (l.Length() != 16) throw Napi::Error::New(info.Env(), "decodeInit: a layer has 16 entries");
    auto g = [&](uint32_t j) { return handleOrNone(l.Get(j)); };
    d->layers.push_back(Layer{g(0), g(1), g(2), g(3), g(4), g(5), g(6), g(7), g(8), g(9), g(10), g(11), g(12), g(13), g(14), g(15)});
  }
  d->embed = T(o.Get("embed"));
  d->norm = T(o.Get("norm"));
  d->lmHead = T(o.Get("lmHead"));
  d->invFreq = T(o.Get("invFreq"));
  d->keys = tensorList(o.Get("keys"));
  d->values = tensorList(o.Get("values"));
  d->mask = handleOrNone(o.Get("mask"));
  if (d->layers.empty() || d->keys.size() != d->layers.size() || d->values.size() != d->layers.size())
    throw Napi::Error::New(info.Env(), "decodeInit: one key and one value buffer per layer, at least one layer");
  if (d->heads <= 0 || d->kvHeads <= 0 || d->heads % d->kvHeads != 0)
    throw Napi::Error::New(info.Env(), "decodeInit: heads must be a multiple of kvHeads");
  d->greedy = flag(o.Get("greedy"));
  d->temperature = num(o.Get("temperature"));
  d->topK = i64(o.Get("topK"));
  d->topP = num(o.Get("topP"));
  auto range = o.Get("range");
  if (range.IsArray()) {
    d->hasRange = true;
    d->lo = i64(range.As<Napi::Array>().Get(0u));
    d->hi = i64(range.As<Napi::Array>().Get(1u));
  }
  auto ext = Napi::External<Decoder>::New(info.Env(), d.release(), [](Napi::Env, Decoder* p) { delete p; });
  ext.TypeTag(&kDecoderTag);
  return ext;
}

// decodeStep(decoder, logits|null, ids|null, positions|null, past, uniforms|null) -> Float64Array [2B]:
// with `logits` ([B, V]) it picks from them; with `ids` (one token per row) it first runs them
// through the model at cache position `past` (positions: each row's position, default `past`),
// writing the cache. Returns the B chosen tokens, then their B log-probabilities.
RW_FN(decodeStep) {
  Decoder& m = decoder(info[0]);
  at::NoGradGuard noGrad;
  std::vector<double> u;
  bool hasU = !(info[5].IsNull() || info[5].IsUndefined());
  if (hasU) u = numbers(info[5]);
  at::Tensor logits;
  if (!(info[1].IsNull() || info[1].IsUndefined())) {
    logits = T(info[1]);
  } else {
    auto device = m.embed.device();
    auto idv = numbers(info[2]);
    int64_t B = static_cast<int64_t>(idv.size());
    auto ids = fromList(idv, at::kLong, device).view({B, 1});
    c10::optional<at::Tensor> positions;
    if (!(info[3].IsNull() || info[3].IsUndefined())) positions = fromList(numbers(info[3]), at::kLong, device).view({B, 1});
    logits = forward(m, ids, positions, i64(info[4]));
  }
  if (hasU && static_cast<int64_t>(u.size()) != logits.size(0))
    throw Napi::Error::New(info.Env(), "decodeStep: one uniform per row");
  auto [next, logp] = pick(m, logits, hasU ? &u : nullptr);
  auto ids = castTo(next.squeeze(1), at::kDouble).to(at::kCPU).contiguous();
  auto lps = castTo(logp, at::kDouble).to(at::kCPU).contiguous();
  int64_t B = ids.numel();
  auto out = Napi::Float64Array::New(info.Env(), 2 * B);
  std::copy(ids.data_ptr<double>(), ids.data_ptr<double>() + B, out.Data());
  std::copy(lps.data_ptr<double>(), lps.data_ptr<double>() + B, out.Data() + B);
  return out;
}

// decodeFree(decoder): drops its references to the weights and cache now
RW_FN(decodeFree) {
  if (!info[0].IsExternal()) throw Napi::TypeError::New(info.Env(), "expected a native decoder");
  auto ext = info[0].As<Napi::External<Decoder>>();
  if (!ext.CheckTypeTag(&kDecoderTag)) throw Napi::TypeError::New(info.Env(), "expected a native decoder");
  ext.Data()->clear();
  return info.Env().Undefined();
}

}  // namespace

void initDecode(Napi::Object e) {
  RW_EXPORT(e, "decodeInit", decodeInit);
  RW_EXPORT(e, "decodeStep", decodeStep);
  RW_EXPORT(e, "decodeFree", decodeFree);
}
