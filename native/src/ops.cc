// Tensor creation, data transfer, elementwise ops, reductions and shape ops.
#include "handle.h"
#include <cstring>

using namespace rw;

namespace {

at::TensorOptions opts(const Napi::CallbackInfo& info, size_t dtypeArg) {
  return at::TensorOptions().dtype(dtype(info[dtypeArg])).device(device(info[dtypeArg + 1]));
}

// ---- creation -------------------------------------------------------------------------
RW_FN(zeros) { return wrap(info.Env(), at::zeros(ints(info[0]), opts(info, 1))); }
RW_FN(ones) { return wrap(info.Env(), at::ones(ints(info[0]), opts(info, 1))); }
RW_FN(empty) { return wrap(info.Env(), at::empty(ints(info[0]), opts(info, 1))); }
RW_FN(full) { return wrap(info.Env(), at::full(ints(info[0]), scalar(info[1]), opts(info, 2))); }
RW_FN(arange) { return wrap(info.Env(), at::arange(scalar(info[0]), scalar(info[1]), scalar(info[2]), opts(info, 3))); }
RW_FN(randn) { return wrap(info.Env(), at::randn(ints(info[0]), opts(info, 1))); }
RW_FN(rand) { return wrap(info.Env(), at::rand(ints(info[0]), opts(info, 1))); }
RW_FN(randint) { return wrap(info.Env(), at::randint(i64(info[0]), i64(info[1]), ints(info[2]), opts(info, 3))); }
RW_FN(randperm) { return wrap(info.Env(), at::randperm(i64(info[0]), opts(info, 1))); }
RW_FN(multinomial) { return wrap(info.Env(), at::multinomial(T(info[0]), i64(info[1]), flag(info[2]))); }
RW_FN(eye) { return wrap(info.Env(), at::eye(i64(info[0]), opts(info, 1))); }

// fromBuffer(view, shape, srcDtype, dstDtype, device): copies the view's bytes.
RW_FN(fromBuffer) {
  auto view = info[0].As<Napi::TypedArray>();
  auto shape = ints(info[1]);
  auto src = dtype(info[2]);
  size_t bytes = view.ByteLength();
  int64_t n = 1;
  for (auto s : shape) n *= s;
  if (static_cast<size_t>(n) * c10::elementSize(src) != bytes)
    throw Napi::RangeError::New(info.Env(), "fromBuffer: " + std::to_string(bytes) + " bytes do not hold shape of " +
                                                std::to_string(n) + " elements");
  auto* data = static_cast<uint8_t*>(view.ArrayBuffer().Data()) + view.ByteOffset();
  auto t = at::from_blob(data, shape, at::TensorOptions().dtype(src)).to(dtype(info[3]), false, /*copy=*/true);
  if (!info[4].IsUndefined()) t = t.to(device(info[4]));
  return wrap(info.Env(), t);
}

// toBuffer(t): a new ArrayBuffer with the tensor's elements (contiguous, on the CPU).
RW_FN(toBuffer) {
  auto t = T(info[0]).detach().to(at::kCPU).contiguous();
  size_t bytes = t.numel() * t.element_size();
  auto ab = Napi::ArrayBuffer::New(info.Env(), bytes);
  if (bytes) std::memcpy(ab.Data(), t.data_ptr(), bytes);
  return ab;
}

RW_FN(item) {
  auto& t = T(info[0]);
  if (t.numel() != 1) throw Napi::RangeError::New(info.Env(), "item(): tensor has " + std::to_string(t.numel()) + " elements, not 1");
  if (t.scalar_type() == at::kBool) return Napi::Boolean::New(info.Env(), t.item<bool>());
  return Napi::Number::New(info.Env(), t.item<double>());
}

// ---- information ----------------------------------------------------------------------
RW_FN(shape) {
  auto s = T(info[0]).sizes();
  auto arr = Napi::Array::New(info.Env(), s.size());
  for (size_t i = 0; i < s.size(); i++) arr.Set(i, Napi::Number::New(info.Env(), static_cast<double>(s[i])));
  return arr;
}
RW_FN(scalarType) { return Napi::Number::New(info.Env(), static_cast<int>(T(info[0]).scalar_type())); }
RW_FN(deviceOf) { return Napi::String::New(info.Env(), T(info[0]).device().str()); }
RW_FN(release_) { release(info[0]); return info.Env().Undefined(); }
RW_FN(liveCount) { return Napi::Number::New(info.Env(), static_cast<double>(liveTensors.load())); }

// ---- dtype / device -------------------------------------------------------------------
// to(t, dtype|null, device|null)
RW_FN(to) {
  auto& t = T(info[0]);
  auto o = at::TensorOptions();
  o = o.dtype(info[1].IsNull() ? t.scalar_type() : dtype(info[1]));
  o = o.device(info[2].IsNull() ? t.device() : device(info[2]));
  return wrap(info.Env(), t.to(o));
}
RW_FN(contiguous) { return wrap(info.Env(), T(info[0]).contiguous()); }
RW_FN(clone) { return wrap(info.Env(), T(info[0]).clone()); }

// ---- elementwise ----------------------------------------------------------------------
#define UNARY(name, expr) \
  RW_FN(name) { const at::Tensor& a = T(info[0]); return wrap(info.Env(), expr); }
UNARY(neg, at::neg(a))
UNARY(exp, at::exp(a))
UNARY(log, at::log(a))
UNARY(log1p, at::log1p(a))
UNARY(expm1, at::expm1(a))
UNARY(sqrt, at::sqrt(a))
UNARY(rsqrt, at::rsqrt(a))
UNARY(abs, at::abs(a))
UNARY(sign, at::sign(a))
UNARY(sin, at::sin(a))
UNARY(cos, at::cos(a))
UNARY(tanh, at::tanh(a))
UNARY(sigmoid, at::sigmoid(a))
UNARY(relu, at::relu(a))
UNARY(silu, at::silu(a))
UNARY(gelu, at::gelu(a))
UNARY(erf, at::erf(a))
UNARY(floor, at::floor(a))
UNARY(ceil, at::ceil(a))
UNARY(round, at::round(a))
UNARY(reciprocal, at::reciprocal(a))
UNARY(square, at::square(a))
UNARY(logicalNot, at::logical_not(a))
UNARY(isnan, at::isnan(a))
UNARY(isfinite, at::isfinite(a))
UNARY(nonzero, at::nonzero(a))

// Binary ops: name(a, b) with two tensors, nameS(a, s) with a scalar.
#define BINARY(name, expr) \
  RW_FN(name) { const at::Tensor& a = T(info[0]); const at::Tensor& b = T(info[1]); return wrap(info.Env(), expr); } \
  RW_FN(name##S) { const at::Tensor& a = T(info[0]); at::Scalar b = scalar(info[1]); return wrap(info.Env(), expr); }
BINARY(add, at::add(a, b))
BINARY(sub, at::sub(a, b))
BINARY(mul, at::mul(a, b))
BINARY(div, at::div(a, b))
BINARY(pow, at::pow(a, b))
BINARY(remainder, at::remainder(a, b))
BINARY(floorDivide, at::floor_divide(a, b))
BINARY(eq, at::eq(a, b))
BINARY(ne, at::ne(a, b))
BINARY(lt, at::lt(a, b))
BINARY(le, at::le(a, b))
BINARY(gt, at::gt(a, b))
BINARY(ge, at::ge(a, b))
RW_FN(maximum) { return wrap(info.Env(), at::maximum(T(info[0]), T(info[1]))); }
RW_FN(maximumS) { return wrap(info.Env(), at::clamp_min(T(info[0]), scalar(info[1]))); }
RW_FN(minimum) { return wrap(info.Env(), at::minimum(T(info[0]), T(info[1]))); }
RW_FN(minimumS) { return wrap(info.Env(), at::clamp_max(T(info[0]), scalar(info[1]))); }
#define TBINARY(name, expr) \
  RW_FN(name) { const at::Tensor& a = T(info[0]); const at::Tensor& b = T(info[1]); return wrap(info.Env(), expr); }
TBINARY(logicalAnd, at::logical_and(a, b))
TBINARY(logicalOr, at::logical_or(a, b))
TBINARY(matmul, at::matmul(a, b))
TBINARY(bmm, at::bmm(a, b))
RW_FN(equal) { return Napi::Boolean::New(info.Env(), at::equal(T(info[0]), T(info[1]))); }
RW_FN(allclose) { return Napi::Boolean::New(info.Env(), at::allclose(T(info[0]), T(info[1]), num(info[2]), num(info[3]))); }

RW_FN(clamp) {
  c10::optional<at::Scalar> lo, hi;
  if (!info[1].IsNull()) lo = scalar(info[1]);
  if (!info[2].IsNull()) hi = scalar(info[2]);
  return wrap(info.Env(), at::clamp(T(info[0]), lo, hi));
}
// where(cond, a, b, aIsScalar, bIsScalar)
RW_FN(where) {
  const at::Tensor& c = T(info[0]);
  bool as = flag(info[3]), bs = flag(info[4]);
  if (!as && !bs) return wrap(info.Env(), at::where(c, T(info[1]), T(info[2])));
  if (!as) return wrap(info.Env(), at::where(c, T(info[1]), scalar(info[2])));
  if (!bs) return wrap(info.Env(), at::where(c, scalar(info[1]), T(info[2])));
  return wrap(info.Env(), at::where(c, scalar(info[1]), scalar(info[2])));
}
RW_FN(maskedFill) { return wrap(info.Env(), at::masked_fill(T(info[0]), T(info[1]), scalar(info[2]))); }
RW_FN(nanToNum) { return wrap(info.Env(), at::nan_to_num(T(info[0]), num(info[1]), num(info[2]), num(info[3]))); }

// ---- reductions -----------------------------------------------------------------------
// (t, dims|null, keepdim)
#define REDUCE_OPT(name, all, some) \
  RW_FN(name) { \
    const at::Tensor& a = T(info[0]); \
    if (info[1].IsNull() || info[1].IsUndefined()) return wrap(info.Env(), all); \
    auto d = ints(info[1]); bool k = flag(info[2]); return wrap(info.Env(), some); \
  }
REDUCE_OPT(sum, at::sum(a), at::sum(a, d, k))
REDUCE_OPT(mean, at::mean(a), at::mean(a, d, k))
REDUCE_OPT(amax, at::amax(a), at::amax(a, d, k))
REDUCE_OPT(amin, at::amin(a), at::amin(a, d, k))
REDUCE_OPT(logsumexp, at::logsumexp(a.flatten(), {0}), at::logsumexp(a, d, k))
REDUCE_OPT(prod, at::prod(a), at::prod(a, d[0], k))
RW_FN(any) { return wrap(info.Env(), info[1].IsNull() ? at::any(T(info[0])) : at::any(T(info[0]), i64(info[1]), flag(info[2]))); }
RW_FN(all) { return wrap(info.Env(), info[1].IsNull() ? at::all(T(info[0])) : at::all(T(info[0]), i64(info[1]), flag(info[2]))); }
// var/std(t, dims|null, unbiased, keepdim)
static at::OptionalIntArrayRef dimsRef(const c10::optional<std::vector<int64_t>>& d) {
  return d ? at::OptionalIntArrayRef(*d) : at::OptionalIntArrayRef(c10::nullopt);
}
RW_FN(var) { auto d = optInts(info[1]); return wrap(info.Env(), at::var(T(info[0]), dimsRef(d), flag(info[2], true), flag(info[3]))); }
RW_FN(std_) { auto d = optInts(info[1]); return wrap(info.Env(), at::std(T(info[0]), dimsRef(d), flag(info[2], true), flag(info[3]))); }
RW_FN(norm) { auto d = optInts(info[2]); return wrap(info.Env(), at::linalg_vector_norm(T(info[0]), scalar(info[1]), dimsRef(d), flag(info[3]))); }
RW_FN(argmax) { return wrap(info.Env(), info[1].IsNull() ? at::argmax(T(info[0])) : at::argmax(T(info[0]), i64(info[1]), flag(info[2]))); }
RW_FN(argmin) { return wrap(info.Env(), info[1].IsNull() ? at::argmin(T(info[0])) : at::argmin(T(info[0]), i64(info[1]), flag(info[2]))); }
RW_FN(maxDim) { auto r = at::max(T(info[0]), i64(info[1]), flag(info[2])); return wrapList(info.Env(), {std::get<0>(r), std::get<1>(r)}); }
RW_FN(minDim) { auto r = at::min(T(info[0]), i64(info[1]), flag(info[2])); return wrapList(info.Env(), {std::get<0>(r), std::get<1>(r)}); }
RW_FN(cumsum) { return wrap(info.Env(), at::cumsum(T(info[0]), i64(info[1]))); }
RW_FN(topk) { auto r = at::topk(T(info[0]), i64(info[1]), i64(info[2]), flag(info[3], true), true); return wrapList(info.Env(), {std::get<0>(r), std::get<1>(r)}); }
RW_FN(sort) { auto r = at::sort(T(info[0]), i64(info[1]), flag(info[2])); return wrapList(info.Env(), {std::get<0>(r), std::get<1>(r)}); }
RW_FN(argsort) { return wrap(info.Env(), at::argsort(T(info[0]), i64(info[1]), flag(info[2]))); }
RW_FN(softmax) { return wrap(info.Env(), at::softmax(T(info[0]), i64(info[1]))); }
RW_FN(logSoftmax) { return wrap(info.Env(), at::log_softmax(T(info[0]), i64(info[1]))); }

// ---- indexing -------------------------------------------------------------------------
RW_FN(gather) { return wrap(info.Env(), at::gather(T(info[0]), i64(info[1]), T(info[2]))); }
// scatter(t, dim, index, src, srcIsScalar)
RW_FN(scatter) {
  if (flag(info[4])) return wrap(info.Env(), at::scatter(T(info[0]), i64(info[1]), T(info[2]), scalar(info[3])));
  return wrap(info.Env(), at::scatter(T(info[0]), i64(info[1]), T(info[2]), T(info[3])));
}
RW_FN(scatterAdd) { return wrap(info.Env(), at::scatter_add(T(info[0]), i64(info[1]), T(info[2]), T(info[3]))); }
RW_FN(indexSelect) { return wrap(info.Env(), at::index_select(T(info[0]), i64(info[1]), T(info[2]))); }
// index(t, [idx|null, ...]): advanced indexing, null = take the whole dimension
static c10::List<c10::optional<at::Tensor>> indexList(const Napi::Value& v) {
  auto arr = v.As<Napi::Array>();
  c10::List<c10::optional<at::Tensor>> idx;
  for (uint32_t i = 0; i < arr.Length(); i++) {
    auto e = arr.Get(i);
    idx.push_back(e.IsNull() ? c10::optional<at::Tensor>() : c10::optional<at::Tensor>(T(e)));
  }
  return idx;
}
RW_FN(index) { return wrap(info.Env(), at::index(T(info[0]), indexList(info[1]))); }
RW_FN(indexPut) { return wrap(info.Env(), at::index_put(T(info[0]), indexList(info[1]), T(info[2]), flag(info[3]))); }
RW_FN(maskedSelect) { return wrap(info.Env(), at::masked_select(T(info[0]), T(info[1]))); }
RW_FN(oneHot) { return wrap(info.Env(), at::one_hot(T(info[0]), i64(info[1]))); }

// ---- shape ----------------------------------------------------------------------------
RW_FN(reshape) { return wrap(info.Env(), at::reshape(T(info[0]), ints(info[1]))); }
RW_FN(view) { return wrap(info.Env(), T(info[0]).view(ints(info[1]))); }
RW_FN(permute) { return wrap(info.Env(), T(info[0]).permute(ints(info[1]))); }
RW_FN(transpose) { return wrap(info.Env(), T(info[0]).transpose(i64(info[1]), i64(info[2]))); }
RW_FN(unsqueeze) { return wrap(info.Env(), T(info[0]).unsqueeze(i64(info[1]))); }
RW_FN(squeeze) { return wrap(info.Env(), info[1].IsNull() ? T(info[0]).squeeze() : T(info[0]).squeeze(i64(info[1]))); }
RW_FN(expand) { return wrap(info.Env(), T(info[0]).expand(ints(info[1]))); }
RW_FN(repeat) { return wrap(info.Env(), T(info[0]).repeat(ints(info[1]))); }
RW_FN(repeatInterleave) { return wrap(info.Env(), at::repeat_interleave(T(info[0]), i64(info[1]), i64(info[2]))); }
RW_FN(flatten) { return wrap(info.Env(), T(info[0]).flatten(i64(info[1]), i64(info[2]))); }
RW_FN(narrow) { return wrap(info.Env(), T(info[0]).narrow(i64(info[1]), i64(info[2]), i64(info[3]))); }
RW_FN(slice) { return wrap(info.Env(), T(info[0]).slice(i64(info[1]), i64(info[2]), i64(info[3]), i64(info[4]))); }
RW_FN(select) { return wrap(info.Env(), T(info[0]).select(i64(info[1]), i64(info[2]))); }
RW_FN(cat) { return wrap(info.Env(), at::cat(tensorList(info[0]), i64(info[1]))); }
RW_FN(stack) { return wrap(info.Env(), at::stack(tensorList(info[0]), i64(info[1]))); }
RW_FN(split) {
  if (info[1].IsArray()) return wrapList(info.Env(), T(info[0]).split_with_sizes(ints(info[1]), i64(info[2])));
  return wrapList(info.Env(), T(info[0]).split(i64(info[1]), i64(info[2])));
}
RW_FN(chunk) { return wrapList(info.Env(), T(info[0]).chunk(i64(info[1]), i64(info[2]))); }
RW_FN(tril) { return wrap(info.Env(), at::tril(T(info[0]), i64(info[1]))); }
RW_FN(triu) { return wrap(info.Env(), at::triu(T(info[0]), i64(info[1]))); }
RW_FN(flip) { return wrap(info.Env(), at::flip(T(info[0]), ints(info[1]))); }
RW_FN(roll) { return wrap(info.Env(), at::roll(T(info[0]), ints(info[1]), ints(info[2]))); }
RW_FN(pad) { return wrap(info.Env(), at::constant_pad_nd(T(info[0]), ints(info[1]), scalar(info[2]))); }

// ---- in-place (used under no-grad for parameters, caches and buffers) ----------------
RW_FN(copy_) { T(info[0]).copy_(T(info[1])); return info.Env().Undefined(); }
RW_FN(fill_) { T(info[0]).fill_(scalar(info[1])); return info.Env().Undefined(); }
RW_FN(zero_) { T(info[0]).zero_(); return info.Env().Undefined(); }
RW_FN(normal_) { T(info[0]).normal_(num(info[1]), num(info[2])); return info.Env().Undefined(); }
RW_FN(uniform_) { T(info[0]).uniform_(num(info[1]), num(info[2])); return info.Env().Undefined(); }
// add_(t, other, alpha, otherIsScalar), mul_(t, other, otherIsScalar)
RW_FN(add_) {
  if (flag(info[3])) T(info[0]).add_(scalar(info[1])); else T(info[0]).add_(T(info[1]), scalar(info[2]));
  return info.Env().Undefined();
}
RW_FN(mul_) {
  if (flag(info[2])) T(info[0]).mul_(scalar(info[1])); else T(info[0]).mul_(T(info[1]));
  return info.Env().Undefined();
}

}  // namespace

void initOps(Napi::Object e) {
  RW_EXPORT(e, "zeros", zeros); RW_EXPORT(e, "ones", ones); RW_EXPORT(e, "empty", empty); RW_EXPORT(e, "full", full);
  RW_EXPORT(e, "arange", arange); RW_EXPORT(e, "randn", randn); RW_EXPORT(e, "rand", rand); RW_EXPORT(e, "randint", randint);
  RW_EXPORT(e, "randperm", randperm); RW_EXPORT(e, "multinomial", multinomial); RW_EXPORT(e, "eye", eye);
  RW_EXPORT(e, "fromBuffer", fromBuffer); RW_EXPORT(e, "toBuffer", toBuffer); RW_EXPORT(e, "item", item);
  RW_EXPORT(e, "shape", shape); RW_EXPORT(e, "scalarType", scalarType); RW_EXPORT(e, "device", deviceOf);
  RW_EXPORT(e, "release", release_); RW_EXPORT(e, "liveCount", liveCount);
  RW_EXPORT(e, "to", to); RW_EXPORT(e, "contiguous", contiguous); RW_EXPORT(e, "clone", clone);
  RW_EXPORT(e, "neg", neg); RW_EXPORT(e, "exp", exp); RW_EXPORT(e, "log", log); RW_EXPORT(e, "log1p", log1p); RW_EXPORT(e, "expm1", expm1);
  RW_EXPORT(e, "sqrt", sqrt); RW_EXPORT(e, "rsqrt", rsqrt); RW_EXPORT(e, "abs", abs); RW_EXPORT(e, "sign", sign);
  RW_EXPORT(e, "sin", sin); RW_EXPORT(e, "cos", cos); RW_EXPORT(e, "tanh", tanh); RW_EXPORT(e, "sigmoid", sigmoid);
  RW_EXPORT(e, "relu", relu); RW_EXPORT(e, "silu", silu); RW_EXPORT(e, "gelu", gelu); RW_EXPORT(e, "erf", erf);
  RW_EXPORT(e, "floor", floor); RW_EXPORT(e, "ceil", ceil); RW_EXPORT(e, "round", round); RW_EXPORT(e, "reciprocal", reciprocal);
  RW_EXPORT(e, "square", square); RW_EXPORT(e, "logicalNot", logicalNot); RW_EXPORT(e, "isnan", isnan); RW_EXPORT(e, "isfinite", isfinite);
  RW_EXPORT(e, "nonzero", nonzero);
#define EXPORT_BINARY(n) RW_EXPORT(e, #n, n); RW_EXPORT(e, #n "S", n##S);
  EXPORT_BINARY(add) EXPORT_BINARY(sub) EXPORT_BINARY(mul) EXPORT_BINARY(div) EXPORT_BINARY(pow) EXPORT_BINARY(remainder)
  EXPORT_BINARY(floorDivide) EXPORT_BINARY(eq) EXPORT_BINARY(ne) EXPORT_BINARY(lt) EXPORT_BINARY(le) EXPORT_BINARY(gt) EXPORT_BINARY(ge)
  EXPORT_BINARY(maximum) EXPORT_BINARY(minimum) RW_EXPORT(e, "logicalAnd", logicalAnd); RW_EXPORT(e, "logicalOr", logicalOr);
  RW_EXPORT(e, "matmul", matmul); RW_EXPORT(e, "bmm", bmm); RW_EXPORT(e, "equal", equal); RW_EXPORT(e, "allclose", allclose);
  RW_EXPORT(e, "clamp", clamp); RW_EXPORT(e, "where", where); RW_EXPORT(e, "maskedFill", maskedFill); RW_EXPORT(e, "nanToNum", nanToNum);
  RW_EXPORT(e, "sum", sum); RW_EXPORT(e, "mean", mean); RW_EXPORT(e, "amax", amax); RW_EXPORT(e, "amin", amin);
  RW_EXPORT(e, "logsumexp", logsumexp); RW_EXPORT(e, "prod", prod); RW_EXPORT(e, "any", any); RW_EXPORT(e, "all", all);
  RW_EXPORT(e, "var", var); RW_EXPORT(e, "std", std_); RW_EXPORT(e, "norm", norm); RW_EXPORT(e, "argmax", argmax); RW_EXPORT(e, "argmin", argmin);
  RW_EXPORT(e, "maxDim", maxDim); RW_EXPORT(e, "minDim", minDim); RW_EXPORT(e, "cumsum", cumsum); RW_EXPORT(e, "topk", topk);
  RW_EXPORT(e, "sort", sort); RW_EXPORT(e, "argsort", argsort); RW_EXPORT(e, "softmax", softmax); RW_EXPORT(e, "logSoftmax", logSoftmax);
  RW_EXPORT(e, "gather", gather); RW_EXPORT(e, "scatter", scatter); RW_EXPORT(e, "scatterAdd", scatterAdd); RW_EXPORT(e, "indexSelect", indexSelect);
  RW_EXPORT(e, "index", index); RW_EXPORT(e, "indexPut", indexPut); RW_EXPORT(e, "maskedSelect", maskedSelect); RW_EXPORT(e, "oneHot", oneHot);
  RW_EXPORT(e, "reshape", reshape); RW_EXPORT(e, "view", view); RW_EXPORT(e, "permute", permute); RW_EXPORT(e, "transpose", transpose);
  RW_EXPORT(e, "unsqueeze", unsqueeze); RW_EXPORT(e, "squeeze", squeeze); RW_EXPORT(e, "expand", expand); RW_EXPORT(e, "repeat", repeat);
  RW_EXPORT(e, "repeatInterleave", repeatInterleave); RW_EXPORT(e, "flatten", flatten); RW_EXPORT(e, "narrow", narrow); RW_EXPORT(e, "slice", slice);
  RW_EXPORT(e, "select", select); RW_EXPORT(e, "cat", cat); RW_EXPORT(e, "stack", stack); RW_EXPORT(e, "split", split); RW_EXPORT(e, "chunk", chunk);
  RW_EXPORT(e, "tril", tril); RW_EXPORT(e, "triu", triu); RW_EXPORT(e, "flip", flip); RW_EXPORT(e, "roll", roll); RW_EXPORT(e, "pad", pad);
  RW_EXPORT(e, "copy_", copy_); RW_EXPORT(e, "fill_", fill_); RW_EXPORT(e, "zero_", zero_); RW_EXPORT(e, "normal_", normal_);
  RW_EXPORT(e, "uniform_", uniform_); RW_EXPORT(e, "add_", add_); RW_EXPORT(e, "mul_", mul_);
}
