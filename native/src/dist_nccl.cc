// The NCCL backend of the process group (CUDA tensors). Built when libtorch has CUDA and
// the NCCL and CUDA runtime headers were found (find-libtorch.mjs defines USE_C10D_NCCL).
#include "dist.h"
#include <stdexcept>
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#include <c10/cuda/CUDAFunctions.h>
#endif

namespace rw::dist {

c10::intrusive_ptr<BackendBase> makeNccl(const c10::intrusive_ptr<c10d::Store>& store, int rank, int size,
                                         std::chrono::milliseconds timeout, int deviceIndex) {
#ifdef USE_C10D_NCCL
  if (deviceIndex < 0) throw std::runtime_error("the nccl backend needs a CUDA device (device: cuda:N)");
  c10::cuda::set_device(static_cast<c10::DeviceIndex>(deviceIndex));
  auto o = c10d::ProcessGroupNCCL::Options::create();
  o->timeout = timeout;
  group.deviceIndex = deviceIndex;
  return c10::make_intrusive<c10d::ProcessGroupNCCL>(store, rank, size, o);
#else
  (void)store; (void)rank; (void)size; (void)timeout; (void)deviceIndex;
  throw std::runtime_error("this build has no NCCL (build against a CUDA libtorch with the NCCL headers, or use the gloo backend)");
#endif
}

bool ncclBuilt() {
#ifdef USE_C10D_NCCL
  return true;
#else
  return false;
#endif
}

}  // namespace rw::dist
