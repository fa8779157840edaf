// Entry point of the rlvr-world native engine: a thin N-API layer over libtorch.
#include "handle.h"

void initOps(Napi::Object e);
void initNN(Napi::Object e);
void initAutograd(Napi::Object e);
void initOptim(Napi::Object e);
void initDist(Napi::Object e);
void initDecode(Napi::Object e);

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  initOps(exports);
  initNN(exports);
  initAutograd(exports);
  initOptim(exports);
  initDist(exports);
  initDecode(exports);
  return exports;
}

NODE_API_MODULE(rlvr_torch, Init)
