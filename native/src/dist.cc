// Data-parallel collectives through PyTorch's own distributed layer (c10d): a TCPStore for
// rendezvous and a Gloo (CPU) or NCCL (CUDA) process group. One group per process, as
// torch.distributed's default group. Every call blocks until the collective completes or
// fails; a failure (a peer died, the timeout passed) becomes a JavaScript Error.
#include "handle.h"
#include "dist.h"
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/utils/tensor_flatten.h>
#ifdef USE_C10D_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#include <chrono>
#include <cstdlib>

using namespace rw;

namespace rw::dist {

Group group;

static std::string where(const std::string& what) {
  return what + " failed on rank " + std::to_string(group.rank) + " of " + std::to_string(group.size) + " (" + group.backend + ")";
}

}  // namespace rw::dist

using namespace rw::dist;

namespace {

void requireGroup(const Napi::Env& env) {
  if (!group.active()) throw Napi::Error::New(env, "distributed: no process group (call init first)");
}

// Runs one collective and waits for it; c10d's errors gain the collective's name and rank.
template <typename F>
void collective(const char* name, F&& launch) {
  try {
    auto work = launch();
    work->wait(group.timeout);
  } catch (const c10::Error& e) {
    throw std::runtime_error(where(std::string("collective ") + name) + ": " + e.what_without_backtrace());
  } catch (const std::exception& e) {
    throw std::runtime_error(where(std::string("collective ") + name) + ": " + e.what());
  }
}

#ifdef USE_C10D_GLOO
std::shared_ptr<::gloo::transport::Device> glooDevice(const std::string& host) {
  // As torch.distributed: GLOO_SOCKET_IFNAME names the interface; else a loopback master
  // means a single machine (bind to loopback), else this host's own address.
  if (const char* ifname = std::getenv("GLOO_SOCKET_IFNAME")) return c10d::ProcessGroupGloo::createDeviceForInterface(ifname);
  if (host == "localhost" || host.rfind("127.", 0) == 0) return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
  return c10d::ProcessGroupGloo::createDefaultDevice();
}
#endif

// init(backend, host, port, rank, size, timeoutMs, deviceIndex)
RW_FN(distInit) {
  if (group.active()) throw Napi::Error::New(info.Env(), "distributed: already initialized");
  std::string backend = info[0].As<Napi::String>();
  std::string host = info[1].As<Napi::String>();
  int port = static_cast<int>(i64(info[2]));
  int rank = static_cast<int>(i64(info[3]));
  int size = static_cast<int>(i64(info[4]));
  auto timeout = std::chrono::milliseconds(i64(info[5]));
  int deviceIndex = static_cast<int>(i64(info[6]));
  group.rank = rank; group.size = size; group.backend = backend; group.timeout = timeout;

  c10d::TCPStoreOptions so;
  so.port = static_cast<std::uint16_t>(port);
  so.isServer = rank == 0;
  so.numWorkers = static_cast<std::size_t>(size);
  so.waitWorkers = true;
  so.timeout = timeout;
  c10::intrusive_ptr<c10d::Store> store;
  try {
    store = c10::make_intrusive<c10d::TCPStore>(host, so);
  } catch (const std::exception& e) {
    throw std::runtime_error(where("rendezvous at " + host + ":" + std::to_string(port)) + ": " + e.what());
  }
  store = c10::make_intrusive<c10d::PrefixStore>("rlvr-world", store);
  try {
    if (backend == "gloo") {
#ifdef USE_C10D_GLOO
      auto o = c10d::ProcessGroupGloo::Options::create(timeout);
      o->devices.push_back(glooDevice(host));
      o->threads = 2;
      group.pg = c10::make_intrusive<c10d::ProcessGroupGloo>(store, rank, size, o);
#else
      throw std::runtime_error("this build has no Gloo (its headers were not found at build time: apt-get install libgloo-dev, then rebuild)");
#endif
    } else if (backend == "nccl") {
      group.pg = makeNccl(store, rank, size, timeout, deviceIndex);
    } else {
      throw std::runtime_error("unknown backend '" + backend + "' (gloo, nccl)");
    }
  } catch (...) {
    group = Group{};
    throw;
  }
  group.store = store;
  return info.Env().Undefined();
}

c10d::ReduceOp reduceOp(const std::string& op) {
  if (op == "sum") return c10d::ReduceOp::SUM;
  if (op == "max") return c10d::ReduceOp::MAX;
  if (op == "min") return c10d::ReduceOp::MIN;
  throw std::runtime_error("unknown reduce op '" + op + "' (sum, max, min)");
}

// allReduce(tensor, op): in place, every rank ends with the reduction
RW_FN(distAllReduce) {
  requireGroup(info.Env());
  std::vector<at::Tensor> ts{T(info[0])};
  c10d::AllreduceOptions o;
  o.reduceOp = reduceOp(info[1].As<Napi::String>());
  collective("allreduce", [&] { return group.pg->allreduce(ts, o); });
  return info.Env().Undefined();
}

// Gradients of all parameters summed across ranks in one flat buffer (a rank without a
// gradient for a parameter contributes zeros), then divided by `divisor`.
RW_FN(distAllReduceGrads) {
  requireGroup(info.Env());
  auto params = tensorList(info[0]);
  double divisor = num(info[1]);
  at::NoGradGuard ng;
  std::vector<at::Tensor> grads;
  for (auto& p : params) {
    if (!p.grad().defined()) p.mutable_grad() = at::zeros_like(p);
    grads.push_back(p.grad());
  }
  if (grads.empty()) return info.Env().Undefined();
  std::vector<at::Tensor> flat{torch::utils::flatten_dense_tensors(grads)};
  c10d::AllreduceOptions o;
  collective("allreduce (gradients)", [&] { return group.pg->allreduce(flat, o); });
  if (divisor != 1.0) flat[0].div_(divisor);
  auto views = torch::utils::unflatten_dense_tensors(flat[0], grads);
  for (size_t i = 0; i < grads.size(); i++) grads[i].copy_(views[i]);
  return info.Env().Undefined();
}

// Parameters set to rank `root`'s values (as DistributedDataParallel does at start).
RW_FN(distBroadcastParams) {
  requireGroup(info.Env());
  auto params = tensorList(info[0]);
  int root = static_cast<int>(i64(info[1]));
  if (params.empty()) return info.Env().Undefined();
  at::NoGradGuard ng;
  std::vector<at::Tensor> data;
  for (auto& p : params) data.push_back(p.detach());
  std::vector<at::Tensor> flat{torch::utils::flatten_dense_tensors(data)};
  c10d::BroadcastOptions o;
  o.rootRank = root;
  collective("broadcast (parameters)", [&] { return group.pg->broadcast(flat, o); });
  auto views = torch::utils::unflatten_dense_tensors(flat[0], data);
  for (size_t i = 0; i < data.size(); i++) data[i].copy_(views[i]);
  return info.Env().Undefined();
}

RW_FN(distBarrier) {
  requireGroup(info.Env());
  // a barrier is an all-reduce of one element: it works alike on Gloo and NCCL
  auto opts = at::TensorOptions().dtype(at::kFloat).device(group.deviceIndex >= 0 ? c10::Device(at::kCUDA, group.deviceIndex) : c10::Device(at::kCPU));
  std::vector<at::Tensor> ts{at::zeros({1}, opts)};
  c10d::AllreduceOptions o;
  collective("barrier", [&] { return group.pg->allreduce(ts, o); });
  return info.Env().Undefined();
}

RW_FN(distDestroy) {
  group = Group{};
  return info.Env().Undefined();
}

RW_FN(distBackends) {
  auto a = Napi::Array::New(info.Env());
  uint32_t n = 0;
#ifdef USE_C10D_GLOO
  a.Set(n++, "gloo");
#endif
  if (ncclBuilt()) a.Set(n++, "nccl");
  return a;
}

}  // namespace

void initDist(Napi::Object e) {
  RW_EXPORT(e, "distInit", distInit);
  RW_EXPORT(e, "distAllReduce", distAllReduce);
  RW_EXPORT(e, "distAllReduceGrads", distAllReduceGrads);
  RW_EXPORT(e, "distBroadcastParams", distBroadcastParams);
  RW_EXPORT(e, "distBarrier", distBarrier);
  RW_EXPORT(e, "distDestroy", distDestroy);
  RW_EXPORT(e, "distBackends", distBackends);
}
