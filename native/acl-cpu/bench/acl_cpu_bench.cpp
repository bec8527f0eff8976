// Micro-benchmark of the CPU device: aclmdlExecute overhead on a 1-element Add graph and aclrtMemcpy
// bandwidth on 64 MiB buffers. Usage: acl_cpu_bench [execute_calls]   (prints a small text report)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "../tests/onnx_builder.h"
#include "acl/acl.h"

namespace {

using Clock = std::chrono::steady_clock;

bool Check(aclError status, const char* what) {
    if (status == ACL_SUCCESS) return true;
    std::fprintf(stderr, "%s failed with %d: %s\n", what, status, aclGetRecentErrMsg());
    return false;
}

double Percentile(std::vector<double> values, double fraction) {
    std::sort(values.begin(), values.end());
    return values[static_cast<size_t>(fraction * static_cast<double>(values.size() - 1))];
}

aclmdlDataset* MakeDataset(const std::vector<void*>& pointers, size_t bytes) {
    aclmdlDataset* dataset = aclmdlCreateDataset();
    for (void* pointer : pointers) aclmdlAddDatasetBuffer(dataset, aclCreateDataBuffer(pointer, bytes));
    return dataset;
}

bool BenchExecute(int calls) {
    std::string model = onnxbuild::AddModel(1);
    uint32_t id = 0;
    if (!Check(aclmdlLoadFromMem(model.data(), model.size(), &id), "aclmdlLoadFromMem")) return false;
    void *a = nullptr, *b = nullptr, *c = nullptr;
    for (void** p : {&a, &b, &c}) {
        if (!Check(aclrtMalloc(p, 4, ACL_MEM_MALLOC_HUGE_FIRST), "aclrtMalloc")) return false;
    }
    aclmdlDataset* input = MakeDataset({a, b}, 4);
    aclmdlDataset* output = MakeDataset({c}, 4);
    aclrtStream stream = nullptr;
    if (!Check(aclrtCreateStream(&stream), "aclrtCreateStream")) return false;

    for (int i = 0; i < 1000; ++i) {
        if (!Check(aclmdlExecute(id, input, output), "aclmdlExecute")) return false;
    }
    std::vector<double> sync(calls), async(calls / 4);
    for (int i = 0; i < calls; ++i) {
        auto start = Clock::now();
        aclmdlExecute(id, input, output);
        sync[i] = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
    }
    for (size_t i = 0; i < async.size(); ++i) {
        auto start = Clock::now();
        aclmdlExecuteAsync(id, input, output, stream);
        aclrtSynchronizeStream(stream);
        async[i] = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
    }
    std::printf("aclmdlExecute, 1-element Add, %d calls: median %.2f us, p10 %.2f us, p90 %.2f us\n", calls,
                Percentile(sync, 0.5), Percentile(sync, 0.1), Percentile(sync, 0.9));
    std::printf("aclmdlExecuteAsync + aclrtSynchronizeStream, %zu calls: median %.2f us, p90 %.2f us\n", async.size(),
                Percentile(async, 0.5), Percentile(async, 0.9));
    aclrtDestroyStream(stream);
    for (aclmdlDataset* dataset : {input, output}) {
        for (size_t i = 0; i < aclmdlGetDatasetNumBuffers(dataset); ++i) {
            aclDestroyDataBuffer(aclmdlGetDatasetBuffer(dataset, i));
        }
        aclmdlDestroyDataset(dataset);
    }
    for (void* p : {a, b, c}) aclrtFree(p);
    return Check(aclmdlUnload(id), "aclmdlUnload");
}

// A decode-like GEMV, y[1,1024] = x[1,1024] @ W[1024,1024]: big enough for ORT's intra-op thread pool, so
// thread count and spinning show up in its latency.
bool BenchGemv(int calls) {
    const int n = 1024;
    std::vector<float> w(static_cast<size_t>(n) * n, 0.001f);
    std::string model = onnxbuild::Model({onnxbuild::Node("MatMul", {"x", "W"}, {"y"})},
                                         {onnxbuild::FloatTensor("W", {n, n}, w)},
                                         {onnxbuild::ValueInfo("x", onnxbuild::kFloat, {1, n})},
                                         {onnxbuild::ValueInfo("y", onnxbuild::kFloat, {1, n})});
    uint32_t id = 0;
    if (!Check(aclmdlLoadFromMem(model.data(), model.size(), &id), "aclmdlLoadFromMem")) return false;
    void *x = nullptr, *y = nullptr;
    aclrtMalloc(&x, n * 4, ACL_MEM_MALLOC_HUGE_FIRST);
    aclrtMalloc(&y, n * 4, ACL_MEM_MALLOC_HUGE_FIRST);
    aclrtMemset(x, n * 4, 0, n * 4);
    aclmdlDataset* input = MakeDataset({x}, n * 4);
    aclmdlDataset* output = MakeDataset({y}, n * 4);
    for (int i = 0; i < 200; ++i) {
        if (!Check(aclmdlExecute(id, input, output), "aclmdlExecute")) return false;
    }
    std::vector<double> times(calls);
    for (int i = 0; i < calls; ++i) {
        auto start = Clock::now();
        aclmdlExecute(id, input, output);
        times[i] = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
    }
    std::printf("aclmdlExecute, MatMul [1,1024]x[1024,1024], %d calls: median %.1f us, p90 %.1f us\n", calls,
                Percentile(times, 0.5), Percentile(times, 0.9));
    for (aclmdlDataset* dataset : {input, output}) {
        aclDestroyDataBuffer(aclmdlGetDatasetBuffer(dataset, 0));
        aclmdlDestroyDataset(dataset);
    }
    aclrtFree(x);
    aclrtFree(y);
    return Check(aclmdlUnload(id), "aclmdlUnload");
}

bool BenchMemcpy() {
    const size_t bytes = 64ull << 20;
    void *host = nullptr, *device = nullptr, *device2 = nullptr;
    if (!Check(aclrtMallocHost(&host, bytes), "aclrtMallocHost") ||
        !Check(aclrtMalloc(&device, bytes, ACL_MEM_MALLOC_HUGE_FIRST), "aclrtMalloc") ||
        !Check(aclrtMalloc(&device2, bytes, ACL_MEM_MALLOC_HUGE_FIRST), "aclrtMalloc")) {
        return false;
    }
    // First touches fault the pages in; measure steady state.
    aclrtMemset(device, bytes, 1, bytes);
    aclrtMemset(device2, bytes, 2, bytes);
    aclrtMemcpy(host, bytes, device, bytes, ACL_MEMCPY_DEVICE_TO_HOST);
    struct Case {
        const char* name;
        void* dst;
        const void* src;
        aclrtMemcpyKind kind;
    } cases[] = {{"H2D", device, host, ACL_MEMCPY_HOST_TO_DEVICE},
                 {"D2H", host, device, ACL_MEMCPY_DEVICE_TO_HOST},
                 {"D2D", device2, device, ACL_MEMCPY_DEVICE_TO_DEVICE}};
    for (const Case& c : cases) {
        std::vector<double> rates;
        for (int i = 0; i < 15; ++i) {
            auto start = Clock::now();
            if (!Check(aclrtMemcpy(c.dst, bytes, c.src, bytes, c.kind), "aclrtMemcpy")) return false;
            double seconds = std::chrono::duration<double>(Clock::now() - start).count();
            rates.push_back(static_cast<double>(bytes) / seconds / 1e9);
        }
        std::printf("aclrtMemcpy %s 64 MiB: median %.2f GB/s, best %.2f GB/s\n", c.name, Percentile(rates, 0.5),
                    Percentile(rates, 1.0));
    }
    aclrtFreeHost(host);
    aclrtFree(device);
    aclrtFree(device2);
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    int calls = argc > 1 ? std::atoi(argv[1]) : 20000;
    if (calls < 100) calls = 100;
    if (!Check(aclInit(nullptr), "aclInit") || !Check(aclrtSetDevice(0), "aclrtSetDevice")) return 1;
    const char* threads = std::getenv("AIO_CPU_THREADS");
    const char* spin = std::getenv("AIO_CPU_SPIN");
    std::printf("AIO_CPU_THREADS=%s AIO_CPU_SPIN=%s\n", threads ? threads : "(default)", spin ? spin : "(default 1)");
    bool ok = BenchExecute(calls) && BenchGemv(calls / 10) && BenchMemcpy();
    aclrtResetDevice(0);
    aclFinalize();
    return ok ? 0 : 1;
}
