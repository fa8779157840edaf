// Neural-network kernels: all of them libtorch's own.
#include "handle.h"
#include <cmath>

using namespace rw;

namespace rw {
// libtorch >= 2 runs its fused kernels (flash / memory-efficient on CUDA); older libtorch runs
// the same math as composite ops. scale: 1/sqrt(D) when none.
at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const c10::optional<at::Tensor>& mask,
                     bool causal, c10::optional<double> scaleOpt) {
  double scale = scaleOpt ? *scaleOpt : 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
#if TORCH_VERSION_MAJOR >= 2
  return at::scaled_dot_product_attention(q, k, v, mask, 0.0, causal, scale);
#else
  auto s = at::matmul(q, k.transpose(-2, -1)).mul_(scale);
  if (causal) {
    auto allowed = at::ones({q.size(-2), k.size(-2)}, q.options().dtype(at::kBool)).tril(k.size(-2) - q.size(-2));
    s.masked_fill_(allowed.logical_not(), -INFINITY);
  }
  if (mask) {
    if (mask->scalar_type() == at::kBool) s.masked_fill_(mask->logical_not(), -INFINITY);
    else s.add_(*mask);
  }
  return at::matmul(at::softmax(s, -1), v);
#endif
}
}  // namespace rw

namespace {

RW_FN(linear) { return wrap(info.Env(), at::linear(T(info[0]), T(info[1]), optT(info[2]))); }
RW_FN(embedding) { return wrap(info.Env(), at::embedding(T(info[0]), T(info[1]))); }

// crossEntropy(logits [N,C], target [N], ignoreIndex, reduction 0 none|1 mean|2 sum, labelSmoothing)
RW_FN(crossEntropy) {
  return wrap(info.Env(), at::cross_entropy_loss(T(info[0]), T(info[1]), {}, i64(info[3]), i64(info[2]), num(info[4])));
}

// sdpa(q, k, v, mask|null, isCausal, scale|null): q [B,H,Tq,D], k/v [B,H,Tk,D]; a boolean
// mask is true where attention is allowed.
RW_FN(sdpa) {
  auto scale = info[5].IsNull() || info[5].IsUndefined() ? c10::optional<double>() : c10::optional<double>(num(info[5]));
  return wrap(info.Env(), attention(T(info[0]), T(info[1]), T(info[2]), optT(info[3]), flag(info[4]), scale));
}

RW_FN(conv2d) {
  return wrap(info.Env(), at::conv2d(T(info[0]), T(info[1]), optT(info[2]), ints(info[3]), ints(info[4]), ints(info[5]), i64(info[6])));
}
RW_FN(convTranspose2d) {
  return wrap(info.Env(), at::conv_transpose2d(T(info[0]), T(info[1]), optT(info[2]), ints(info[3]), ints(info[4]), ints(info[5]), i64(info[6]), ints(info[7])));
}
RW_FN(layerNorm) { return wrap(info.Env(), at::layer_norm(T(info[0]), ints(info[1]), optT(info[2]), optT(info[3]), num(info[4]))); }
RW_FN(groupNorm) { return wrap(info.Env(), at::group_norm(T(info[0]), i64(info[1]), optT(info[2]), optT(info[3]), num(info[4]))); }
RW_FN(dropout) { return wrap(info.Env(), at::dropout(T(info[0]), num(info[1]), flag(info[2]))); }
RW_FN(avgPool2d) { return wrap(info.Env(), at::avg_pool2d(T(info[0]), ints(info[1]), ints(info[2]))); }
RW_FN(maxPool2d) { return wrap(info.Env(), at::max_pool2d(T(info[0]), ints(info[1]), ints(info[2]))); }
RW_FN(upsampleNearest2d) { return wrap(info.Env(), at::upsample_nearest2d(T(info[0]), ints(info[1]))); }
RW_FN(conv2dGaussian) {  // depthwise conv with one kernel, used by SSIM
  const at::Tensor& x = T(info[0]);
  const at::Tensor& w = T(info[1]);
  std::vector<int64_t> one{1, 1}, zero{0, 0};
  return wrap(info.Env(), at::conv2d(x, w.expand({x.size(1), 1, w.size(-2), w.size(-1)}), c10::nullopt, one, zero, one, x.size(1)));
}

}  // namespace

void initNN(Napi::Object e) {
  RW_EXPORT(e, "linear", linear); RW_EXPORT(e, "embedding", embedding); RW_EXPORT(e, "crossEntropy", crossEntropy);
  RW_EXPORT(e, "sdpa", sdpa); RW_EXPORT(e, "conv2d", conv2d); RW_EXPORT(e, "convTranspose2d", convTranspose2d);
  RW_EXPORT(e, "layerNorm", layerNorm); RW_EXPORT(e, "groupNorm", groupNorm); RW_EXPORT(e, "dropout", dropout);
  RW_EXPORT(e, "avgPool2d", avgPool2d); RW_EXPORT(e, "maxPool2d", maxPool2d); RW_EXPORT(e, "upsampleNearest2d", upsampleNearest2d);
  RW_EXPORT(e, "conv2dDepthwise", conv2dGaussian);
}
