// The process's one c10d process group, shared by dist.cc (collectives) and
// dist_nccl.cc (the NCCL backend, compiled only against a CUDA libtorch with NCCL headers).
#pragma once
#include <torch/version.h>
#include <torch/csrc/distributed/c10d/Store.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#include <chrono>
#include <string>

namespace rw::dist {

// Gloo and NCCL groups share this base: ProcessGroup in libtorch 1.x, Backend from 2.0 on.
#if TORCH_VERSION_MAJOR >= 2
using BackendBase = c10d::Backend;
#else
using BackendBase = c10d::ProcessGroup;
#endif

struct Group {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<BackendBase> pg;
  std::string backend;
  int rank = 0, size = 1, deviceIndex = -1;
  std::chrono::milliseconds timeout{0};
  bool active() const { return static_cast<bool>(pg); }
};
extern Group group;

// dist_nccl.cc
c10::intrusive_ptr<BackendBase> makeNccl(const c10::intrusive_ptr<c10d::Store>& store, int rank, int size,
                                         std::chrono::milliseconds timeout, int deviceIndex);
bool ncclBuilt();

}  // namespace rw::dist
