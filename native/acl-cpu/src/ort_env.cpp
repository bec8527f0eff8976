#include "ort_env.h"

#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

namespace aclcpu {
namespace {

int ReadPositiveEnv(const char* name, int fallback) {
    const char* text = std::getenv(name);
    if (text == nullptr || *text == '\0') return fallback;
    char* end = nullptr;
    long value = std::strtol(text, &end, 10);
    return (end != text && *end == '\0' && value > 0 && value <= 4096) ? static_cast<int>(value) : fallback;
}

// Library code never prints: ORT's log lines are dropped; its errors reach callers as exception text.
void DiscardOrtLog(void*, OrtLoggingLevel, const char*, const char*, const char*, const char*) {}

}  // namespace

int IntraOpThreads() {
    unsigned hardware = std::thread::hardware_concurrency();
    return ReadPositiveEnv("AIO_CPU_THREADS", hardware > 0 ? static_cast<int>(hardware) : 1);
}

Ort::Env& SharedOrtEnv() {
    static Ort::Env* env = [] {
        Ort::ThreadingOptions threading;
        threading.SetGlobalIntraOpNumThreads(IntraOpThreads());
        threading.SetGlobalInterOpNumThreads(1);
        // Spinning between parallel sections cut a 1x1024x1024 GEMV from ~68 to ~52 us median (README).
        const char* spin = std::getenv("AIO_CPU_SPIN");
        threading.SetGlobalSpinControl(spin != nullptr && spin[0] == '0' ? 0 : 1);
        return new Ort::Env(threading, DiscardOrtLog, nullptr, ORT_LOGGING_LEVEL_WARNING, "acl-cpu");
    }();
    return *env;
}

Ort::SessionOptions MakeSessionOptions() {
    Ort::SessionOptions options;
    options.SetGraphOptimizationLevel(GraphOptimizationLevel::ORT_ENABLE_ALL);
    options.SetExecutionMode(ExecutionMode::ORT_SEQUENTIAL);
    options.DisablePerSessionThreads();  // use the environment's shared pools
    const char* prepack = std::getenv("AIO_CPU_PREPACK");
    if (prepack != nullptr && prepack[0] == '0') options.AddConfigEntry("session.disable_prepacking", "1");
    // Per-node timings: ORT writes <dir>/ort_<timestamp>.json for each session when it is destroyed (model unload).
    const char* profile = std::getenv("AIO_CPU_ORT_PROFILE");
    if (profile != nullptr && profile[0] != '\0') options.EnableProfiling((std::string(profile) + "/ort").c_str());
    return options;
}

const Ort::MemoryInfo& CpuMemoryInfo() {
    static Ort::MemoryInfo* info = new Ort::MemoryInfo(Ort::MemoryInfo::CreateCpu(OrtDeviceAllocator, OrtMemTypeDefault));
    return *info;
}

}  // namespace aclcpu
