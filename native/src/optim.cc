// AdamW (libtorch's torch::optim::AdamW) and gradient clipping.
#include "handle.h"
#include <torch/optim/adamw.h>
#include <torch/nn/utils/clip_grad.h>
#include <sstream>
#include <type_traits>

using namespace rw;

namespace {

const napi_type_tag kAdamWTag = {0x5a9e0c1d2b3f4e50ULL, 0x8877665544332211ULL};

torch::optim::AdamW& opt(const Napi::Value& v) {
  auto ext = v.As<Napi::External<torch::optim::AdamW>>();
  if (!v.IsExternal() || !ext.CheckTypeTag(&kAdamWTag)) throw Napi::TypeError::New(v.Env(), "expected an AdamW optimizer");
  return *ext.Data();
}

// The optimizer keys its state by the parameter's TensorImpl; the key type changed
// between libtorch releases (a string in 1.x, a pointer in 2.x).
template <typename Map>
auto stateKey(const Map&, const at::Tensor& p) {
  using K = typename Map::key_type;
  if constexpr (std::is_same_v<K, std::string>) {
    std::ostringstream os;  // the pointer printed, as libtorch 1.x's key
    os << p.unsafeGetTensorImpl();
    return os.str();
  }
  else return static_cast<K>(p.unsafeGetTensorImpl());
}

// adamw(groups: Tensor[][], weightDecays: number[], lr, beta1, beta2, eps)
RW_FN(adamw) {
  auto groups = info[0].As<Napi::Array>();
  auto decays = info[1].As<Napi::Array>();
  auto defaults = torch::optim::AdamWOptions(num(info[2])).betas({num(info[3]), num(info[4])}).eps(num(info[5]));
  std::vector<torch::optim::OptimizerParamGroup> pg;
  for (uint32_t i = 0; i < groups.Length(); i++) {
    auto o = std::make_unique<torch::optim::AdamWOptions>(defaults);
    o->weight_decay(num(decays.Get(i)));
    pg.emplace_back(tensorList(groups.Get(i)), std::move(o));
  }
  auto* p = new torch::optim::AdamW(pg, defaults);
  auto ext = Napi::External<torch::optim::AdamW>::New(info.Env(), p, [](Napi::Env, torch::optim::AdamW* p) { delete p; });
  ext.TypeTag(&kAdamWTag);
  return ext;
}
RW_FN(adamwStep) { opt(info[0]).step(); return info.Env().Undefined(); }
// zeroGrad(opt): gradients are set to none (freed), as PyTorch does by default.
RW_FN(adamwZeroGrad) {
  for (auto& g : opt(info[0]).param_groups())
    for (auto& p : g.params()) p.mutable_grad() = at::Tensor();
  return info.Env().Undefined();
}
RW_FN(adamwSetLr) {
  for (auto& g : opt(info[0]).param_groups()) static_cast<torch::optim::AdamWOptions&>(g.options()).lr(num(info[1]));
  return info.Env().Undefined();
}
// getState(opt) -> per parameter, in group order: [step, exp_avg, exp_avg_sq] or null
RW_FN(adamwGetState) {
  auto& o = opt(info[0]);
  auto& state = o.state();
  auto out = Napi::Array::New(info.Env());
  uint32_t n = 0;
  for (auto& g : o.param_groups())
    for (auto& p : g.params()) {
      auto it = state.find(stateKey(state, p));
      if (it == state.end()) { out.Set(n++, info.Env().Null()); continue; }
      auto& s = static_cast<torch::optim::AdamWParamState&>(*it->second);
      auto e = Napi::Array::New(info.Env(), 3);
      e.Set(0u, Napi::Number::New(info.Env(), static_cast<double>(s.step())));
      e.Set(1u, wrap(info.Env(), s.exp_avg()));
      e.Set(2u, wrap(info.Env(), s.exp_avg_sq()));
      out.Set(n++, e);
    }
  return out;
}
// setState(opt, entries) with entries as getState returns them
RW_FN(adamwSetState) {
  auto& o = opt(info[0]);
  auto& state = o.state();
  auto entries = info[1].As<Napi::Array>();
  uint32_t n = 0;
  for (auto& g : o.param_groups())
    for (auto& p : g.params()) {
      if (n >= entries.Length()) throw Napi::RangeError::New(info.Env(), "optimizer state has fewer entries than parameters");
      auto e = entries.Get(n++);
      auto key = stateKey(state, p);
      if (e.IsNull()) { state.erase(key); continue; }
      auto arr = e.As<Napi::Array>();
      auto s = std::make_unique<torch::optim::AdamWParamState>();
      s->step(i64(arr.Get(0u)));
      auto m = T(arr.Get(1u)), v = T(arr.Get(2u));
      if (!m.sizes().equals(p.sizes()) || !v.sizes().equals(p.sizes()))
        throw Napi::Error::New(info.Env(), "optimizer state entry " + std::to_string(n - 1) + " does not match its parameter's shape");
      s->exp_avg(m.to(p.options()).clone());
      s->exp_avg_sq(v.to(p.options()).clone());
      state[key] = std::move(s);
    }
  if (n != entries.Length()) throw Napi::RangeError::New(info.Env(), "optimizer state has more entries than parameters");
  return info.Env().Undefined();
}
// clipGradNorm(params, maxNorm, normType) -> total norm before clipping
RW_FN(clipGradNorm) {
  return Napi::Number::New(info.Env(), torch::nn::utils::clip_grad_norm_(tensorList(info[0]), num(info[1]), num(info[2])));
}

}  // namespace

void initOptim(Napi::Object e) {
  RW_EXPORT(e, "adamw", adamw); RW_EXPORT(e, "adamwStep", adamwStep); RW_EXPORT(e, "adamwZeroGrad", adamwZeroGrad);
  RW_EXPORT(e, "adamwSetLr", adamwSetLr); RW_EXPORT(e, "adamwGetState", adamwGetState); RW_EXPORT(e, "adamwSetState", adamwSetState);
  RW_EXPORT(e, "clipGradNorm", clipGradNorm);
}
