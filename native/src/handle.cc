#include "handle.h"
#include <cmath>

namespace rw {

// Tensors live in a slot table; JavaScript holds a number: generation · 2^22 + slot. A
// released slot bumps its generation, so a stale number is detected instead of aliasing a
// newer tensor. Numbers cost nothing to create, and the garbage collector has nothing to
// finalize (the JS side frees forgotten tensors with a FinalizationRegistry).
namespace {
constexpr int64_t kSlotBits = 22;
constexpr int64_t kSlotMask = (int64_t{1} << kSlotBits) - 1;
struct Slot {
  at::Tensor t;
  int64_t gen = 0;
};
std::vector<Slot> slots;
std::vector<int64_t> freeSlots;
}  // namespace

std::atomic<int64_t> liveTensors{0};

Napi::Value wrap(Napi::Env env, at::Tensor t) {
  if (!t.defined()) return env.Null();
  int64_t i;
  if (!freeSlots.empty()) {
    i = freeSlots.back();
    freeSlots.pop_back();
  } else {
    if (static_cast<int64_t>(slots.size()) > kSlotMask) throw Napi::Error::New(env, "too many live tensors (4M): dispose tensors or use scope()");
    i = static_cast<int64_t>(slots.size());
    slots.emplace_back();
  }
  slots[i].t = std::move(t);
  liveTensors++;
  return Napi::Number::New(env, static_cast<double>((slots[i].gen << kSlotBits) | i));
}

Napi::Value wrapList(Napi::Env env, const std::vector<at::Tensor>& ts) {
  auto arr = Napi::Array::New(env, ts.size());
  for (size_t i = 0; i < ts.size(); i++) arr.Set(i, wrap(env, ts[i]));
  return arr;
}

static Slot& slotOf(const Napi::Value& v) {
  if (!v.IsNumber()) throw Napi::TypeError::New(v.Env(), "expected a tensor");
  int64_t id = v.As<Napi::Number>().Int64Value();
  int64_t i = id & kSlotMask;
  if (id < 0 || i >= static_cast<int64_t>(slots.size()) || slots[i].gen != (id >> kSlotBits) || !slots[i].t.defined())
    throw Napi::Error::New(v.Env(), "tensor used after dispose()");
  return slots[i];
}

at::Tensor& T(const Napi::Value& v) { return slotOf(v).t; }

void release(const Napi::Value& v) {
  Slot& s = slotOf(v);
  s.t.reset();
  s.gen++;
  freeSlots.push_back(&s - slots.data());
  liveTensors--;
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

// Integral numbers become integer scalars so that int tensors stay int (as in Python).
at::Scalar scalar(const Napi::Value& v) {
  if (v.IsBoolean()) return at::Scalar(v.As<Napi::Boolean>().Value());
  if (!v.IsNumber()) throw Napi::TypeError::New(v.Env(), "expected a number");
  return scalarOf(v.As<Napi::Number>().DoubleValue());
}
at::Scalar scalarOf(double d) {
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
