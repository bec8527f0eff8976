// The one ONNX Runtime environment of the process and the session options every model uses.
#pragma once

#include <onnxruntime_cxx_api.h>

namespace aclcpu {

// Created on first use and kept for the life of the process (ORT environments are meant to be singletons).
// Sessions share its global thread pools: intra-op threads = AIO_CPU_THREADS (default: hardware
// concurrency), inter-op threads = 1, spinning unless AIO_CPU_SPIN=0.
Ort::Env& SharedOrtEnv();

Ort::SessionOptions MakeSessionOptions();

// Tensors bound over "device" memory are plain CPU tensors to ORT.
const Ort::MemoryInfo& CpuMemoryInfo();

int IntraOpThreads();

}  // namespace aclcpu
