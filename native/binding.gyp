{
  "targets": [{
    "target_name": "rlvr_torch",
    "sources": ["src/addon.cc", "src/handle.cc", "src/ops.cc", "src/nn.cc", "src/autograd.cc", "src/optim.cc", "src/dist.cc", "src/dist_nccl.cc", "src/decode.cc"],
    "include_dirs": ["<!@(node -p \"require('node-addon-api').include_dir\")", "<!@(node find-libtorch.mjs --include)"],
    "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "<!@(node find-libtorch.mjs --defines)"],
    "cflags!": ["-fno-exceptions", "-fno-rtti"],
    "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++14"],
    "cflags_cc": ["-std=c++17", "-O2", "-fexceptions", "-frtti", "-Wno-unused-parameter", "-Wno-deprecated-declarations"],
    "libraries": ["<!@(node find-libtorch.mjs --ldflags)", "<!@(node find-libtorch.mjs --libs)"]
  }]
}
