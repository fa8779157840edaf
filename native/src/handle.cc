#include "handle.h"
#include <cmath>

namespace rw {

std::atomic<int64_t> liveTensors{0};
static const napi_type_tag kTensorTag = {0x7e1a5c0ffee0a11dULL, 0x9b0d57e55a1c3e21ULL};

Napi::Value wrap(Napi::Env env, at::Tensor t) {
  if (!t.defined()) return env.Null();
  auto* p = new at::Tensor(std::move(t));
  liveTensors++;
  auto ext = Napi::External<at::Tensor>::New(env, p, [](Napi::Env, at::Tensor* p) {
    if (p->defined()) liveTensors--;
    delete p;
  });
  ext.TypeTag(&kTensorTag);
  return ext;
}

Napi::Value wrapList(Napi::Env env, const std::vector<at::Tensor>& ts) {
  auto arr = Napi::Array::New(env, ts.size());
  for (size_t i = 0; i < ts.size(); i++) arr.Set(i, wrap(env, ts[i]));
  return arr;
}

static at::Tensor* ptr(const Napi::Value& v) {
  if (!v.IsExternal()) throw Napi::TypeError::New(v.Env(), "expected a tensor");
  auto ext = v.As<Napi::External<at::Tensor>>();
  if (!ext.CheckTypeTag(&kTensorTag)) throw Napi::TypeError::New(v.Env(), "expected a tensor");
  return ext.Data();
}

at::Tensor& T(const Napi::Value& v) {
  at::Tensor* p = ptr(v);
  if (!p->defined()) throw Napi::Error::New(v.Env(), "tensor used after dispose()");
  return *p;
}

void release(const Napi::Value& v) {
  at::Tensor* p = ptr(v);
  if (p->defined()) {
    liveTensors--;
    p->reset();
  }
}

c10::optional<at::Tensor> optT(const Napi::Value& v) {
  if (v.IsNull() || v.IsUndefined()) return c10::nullopt;
  return T(v);
}

std::vector<at::Tensor> tensorList(const Napi::Value& v) {
  auto arr = v.As<Napi::Array>();
  std::vector<at::Tensor> out;
  out.reserve(arr.Length());
  for (uint32_t i = 0; i < arr.Length(); i++) out.push_back(T(arr.Get(i)));
  return out;
}

std::vector<int64_t> ints(const Napi::Value& v) {
  if (v.IsNumber()) return {v.As<Napi::Number>().Int64Value()};
  if (!v.IsArray()) throw Napi::TypeError::New(v.Env(), "expected an array of integers");
  auto arr = v.As<Napi::Array>();
  std::vector<int64_t> out(arr.Length());
  for (uint32_t i = 0; i < arr.Length(); i++) out[i] = arr.Get(i).As<Napi::Number>().Int64Value();
  return out;
}

c10::optional<std::vector<int64_t>> optInts(const Napi::Value& v) {
  if (v.IsNull() || v.IsUndefined()) return c10::nullopt;
  return ints(v);
}

bool isScalar(const Napi::Value& v) { return v.IsNumber() || v.IsBoolean(); }

// Integral JS numbers become integer scalars so that int tensors stay int (as in Python).
at::Scalar scalar(const Napi::Value& v) {
  if (v.IsBoolean()) return at::Scalar(v.As<Napi::Boolean>().Value());
  if (!v.IsNumber()) throw Napi::TypeError::New(v.Env(), "expected a number or a tensor");
  double d = v.As<Napi::Number>().DoubleValue();
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15) return at::Scalar(static_cast<int64_t>(d));
  return at::Scalar(d);
}

at::ScalarType dtype(const Napi::Value& v) {
  return static_cast<at::ScalarType>(v.As<Napi::Number>().Int32Value());
}

c10::Device device(const Napi::Value& v) { return c10::Device(v.As<Napi::String>().Utf8Value()); }
double num(const Napi::Value& v) { return v.As<Napi::Number>().DoubleValue(); }
int64_t i64(const Napi::Value& v) { return v.As<Napi::Number>().Int64Value(); }
bool flag(const Napi::Value& v, bool dflt) { return v.IsBoolean() ? v.As<Napi::Boolean>().Value() : dflt; }

}  // namespace rw
