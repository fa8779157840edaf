// Autograd, random state, threads and devices.
#include "handle.h"
#include <ATen/core/Generator.h>
#include <torch/cuda.h>
#include <torch/version.h>
#include <torch/utils.h>
#include <ATen/autocast_mode.h>
#include <dlfcn.h>

using namespace rw;

namespace {

RW_FN(setRequiresGrad) { T(info[0]).requires_grad_(flag(info[1], true)); return info.Env().Undefined(); }
RW_FN(requiresGrad) { return Napi::Boolean::New(info.Env(), T(info[0]).requires_grad()); }
RW_FN(isLeaf) { return Napi::Boolean::New(info.Env(), T(info[0]).is_leaf()); }
RW_FN(detach) { return wrap(info.Env(), T(info[0]).detach()); }
// backward(t, grad|null, retainGraph)
RW_FN(backward) {
  auto g = optT(info[1]);
  T(info[0]).backward(g ? *g : at::Tensor(), flag(info[2]));
  return info.Env().Undefined();
}
RW_FN(grad) { return wrap(info.Env(), T(info[0]).grad()); }
RW_FN(setGrad) {
  auto g = optT(info[1]);
  T(info[0]).mutable_grad() = g ? *g : at::Tensor();
  return info.Env().Undefined();
}
RW_FN(isGradEnabled) { return Napi::Boolean::New(info.Env(), at::GradMode::is_enabled()); }
RW_FN(setGradEnabled) { at::GradMode::set_enabled(flag(info[0], true)); return info.Env().Undefined(); }

// ---- autocast -------------------------------------------------------------------------
// autocast(deviceType 'cpu'|'cuda', enabled, dtype): ops dispatched while it is on run in
// `dtype` where PyTorch's autocast lists say so (matmuls, linear) and in float32 where
// precision matters (softmax, log_softmax, losses). Leaving the outermost region clears the
// cache of weight casts, so an optimizer step is never hidden behind a stale copy.
RW_FN(autocast) {
  std::string type = info[0].As<Napi::String>();
  bool on = flag(info[1]);
  auto dev = type == "cuda" ? at::kCUDA : at::kCPU;
  if (type != "cuda" && type != "cpu") throw Napi::Error::New(info.Env(), "autocast: device type must be cpu or cuda");
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
  if (on) at::autocast::set_autocast_dtype(dev, dtype(info[2]));
  at::autocast::set_autocast_enabled(dev, on);
#else
  if (dev == at::kCUDA) {
    if (on) at::autocast::set_autocast_gpu_dtype(dtype(info[2]));
    at::autocast::set_enabled(on);
  } else {
    if (on) at::autocast::set_autocast_cpu_dtype(dtype(info[2]));
    at::autocast::set_cpu_enabled(on);
  }
#endif
  if (on) at::autocast::increment_nesting();
  else if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  return info.Env().Undefined();
}

// ---- random ---------------------------------------------------------------------------
RW_FN(manualSeed) {
  uint64_t seed = static_cast<uint64_t>(i64(info[0]));
  at::manual_seed(seed);  // CPU and every CUDA device
  return info.Env().Undefined();
}
static at::Generator generatorFor(const Napi::Value& v) {
  auto dev = v.IsUndefined() ? c10::Device(at::kCPU) : device(v);
  return at::globalContext().defaultGenerator(dev);
}
RW_FN(getRngState) {
  auto gen = generatorFor(info[0]);
  std::lock_guard<std::mutex> lock(gen.mutex());
  return wrap(info.Env(), gen.get_state());
}
RW_FN(setRngState) {
  auto gen = generatorFor(info[1]);
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_state(T(info[0]));
  return info.Env().Undefined();
}

// ---- threads and devices --------------------------------------------------------------
// libtorch's pool, and OpenBLAS's own when libtorch reaches BLAS through the generic
// interface (Debian's build): at::set_num_threads does not reach it there.
RW_FN(setNumThreads) {
  int n = static_cast<int>(i64(info[0]));
  at::set_num_threads(n);
  using SetThreads = void (*)(int);
  if (auto f = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) f(n);
  return info.Env().Undefined();
}
RW_FN(getNumThreads) { return Napi::Number::New(info.Env(), at::get_num_threads()); }
RW_FN(cudaIsAvailable) { return Napi::Boolean::New(info.Env(), torch::cuda::is_available()); }
RW_FN(cudaDeviceCount) { return Napi::Number::New(info.Env(), static_cast<double>(torch::cuda::device_count())); }
RW_FN(cudaSynchronize) {
  if (torch::cuda::is_available()) torch::cuda::synchronize(info[0].IsNumber() ? i64(info[0]) : -1);
  return info.Env().Undefined();
}
RW_FN(version) {
  auto o = Napi::Object::New(info.Env());
  o.Set("torch", TORCH_VERSION);
#ifdef RLVR_CUDA
  o.Set("cudaBuild", true);
#else
  o.Set("cudaBuild", false);
#endif
  return o;
}

}  // namespace

void initAutograd(Napi::Object e) {
  RW_EXPORT(e, "setRequiresGrad", setRequiresGrad); RW_EXPORT(e, "requiresGrad", requiresGrad); RW_EXPORT(e, "isLeaf", isLeaf);
  RW_EXPORT(e, "detach", detach); RW_EXPORT(e, "backward", backward); RW_EXPORT(e, "grad", grad); RW_EXPORT(e, "setGrad", setGrad);
  RW_EXPORT(e, "isGradEnabled", isGradEnabled); RW_EXPORT(e, "setGradEnabled", setGradEnabled);
  RW_EXPORT(e, "autocast", autocast);
  RW_EXPORT(e, "manualSeed", manualSeed); RW_EXPORT(e, "getRngState", getRngState); RW_EXPORT(e, "setRngState", setRngState);
  RW_EXPORT(e, "setNumThreads", setNumThreads); RW_EXPORT(e, "getNumThreads", getNumThreads);
  RW_EXPORT(e, "cudaIsAvailable", cudaIsAvailable); RW_EXPORT(e, "cudaDeviceCount", cudaDeviceCount);
  RW_EXPORT(e, "cudaSynchronize", cudaSynchronize); RW_EXPORT(e, "version", version);
}
