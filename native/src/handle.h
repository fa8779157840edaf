// Conversions between JavaScript values and libtorch objects. A tensor crosses the
// boundary as a number naming a slot of the engine's tensor table (handle.cc); where an
// operand may be a tensor or a scalar, the binding has a separate scalar variant.
#pragma once
#include <napi.h>
#include <ATen/ATen.h>
#include <atomic>
#include <optional>
#include <vector>

namespace rw {

extern std::atomic<int64_t> liveTensors;  // tensors in the table

Napi::Value wrap(Napi::Env env, at::Tensor t);  // undefined tensor -> null
Napi::Value wrapList(Napi::Env env, const std::vector<at::Tensor>& ts);
at::Tensor& T(const Napi::Value& v);
c10::optional<at::Tensor> optT(const Napi::Value& v);  // null/undefined -> nullopt
std::vector<at::Tensor> tensorList(const Napi::Value& v);
std::vector<int64_t> ints(const Napi::Value& v);
c10::optional<std::vector<int64_t>> optInts(const Napi::Value& v);
at::Scalar scalar(const Napi::Value& v);
at::Scalar scalarOf(double d);  // what scalar() makes of a JavaScript number
at::ScalarType dtype(const Napi::Value& v);
c10::Device device(const Napi::Value& v);
double num(const Napi::Value& v);
int64_t i64(const Napi::Value& v);
bool flag(const Napi::Value& v, bool dflt = false);
void release(const Napi::Value& v);

// softmax(q kᵀ · scale + mask) v (nn.cc's sdpa; the native decode step calls the same code).
at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const c10::optional<at::Tensor>& mask,
                     bool causal, c10::optional<double> scale);

// Every exported function runs inside guard: libtorch's c10::Error (bad shapes, wrong
// dtypes, ...) becomes a JavaScript Error with libtorch's message, never an abort.
template <Napi::Value (*F)(const Napi::CallbackInfo&)>
Napi::Value guard(const Napi::CallbackInfo& info) {
  try {
    return F(info);
  } catch (const Napi::Error&) {
    throw;
  } catch (const c10::Error& e) {
    throw Napi::Error::New(info.Env(), e.what_without_backtrace());
  } catch (const std::exception& e) {
    throw Napi::Error::New(info.Env(), e.what());
  }
}

}  // namespace rw

#define RW_FN(name) static Napi::Value name(const Napi::CallbackInfo& info)
#define RW_EXPORT(exports, jsname, fn) \
  (exports).Set(jsname, Napi::Function::New<rw::guard<fn>>((exports).Env(), jsname))
