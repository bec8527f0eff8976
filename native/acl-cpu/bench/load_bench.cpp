// Loads every graph (*.onnx) of a bundle directory and reports, after each load, the load time, the process's
// resident set (VmRSS) and the device memory in use (aclrtGetMemInfo); then unloads them all.
// Usage: acl_cpu_load_bench BUNDLE_DIR     Shows whether a bundle's shared weights.bin is held once or per graph.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <dirent.h>

#include "acl/acl.h"

namespace {

double ResidentGB() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) * 1024 / 1e9;
    }
    return -1;
}

double DeviceUsedGB() {
    size_t free = 0, total = 0;
    aclrtGetMemInfo(ACL_HBM_MEM, &free, &total);
    return static_cast<double>(total - free) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s BUNDLE_DIR\n", argv[0]);
        return 2;
    }
    std::vector<std::string> graphs;
    if (DIR* dir = opendir(argv[1])) {
        while (dirent* entry = readdir(dir)) {
            std::string name = entry->d_name;
            if (name.size() > 5 && name.compare(name.size() - 5, 5, ".onnx") == 0) graphs.push_back(name);
        }
        closedir(dir);
    }
    std::sort(graphs.begin(), graphs.end());
    if (aclInit(nullptr) != ACL_SUCCESS || aclrtSetDevice(0) != ACL_SUCCESS) return 1;
    std::printf("%-28s %10s %10s %12s\n", "graph", "load ms", "VmRSS GB", "device GB");
    std::printf("%-28s %10s %10.3f %12.3f\n", "(before)", "", ResidentGB(), DeviceUsedGB());
    std::vector<uint32_t> ids;
    double totalMs = 0;
    for (const auto& name : graphs) {
        std::string path = std::string(argv[1]) + "/" + name;
        uint32_t id = 0;
        auto start = std::chrono::steady_clock::now();
        if (aclmdlLoadFromFile(path.c_str(), &id) != ACL_SUCCESS) {
            std::fprintf(stderr, "%s: %s\n", name.c_str(), aclGetRecentErrMsg());
            return 1;
        }
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        totalMs += ms;
        ids.push_back(id);
        std::printf("%-28s %10.0f %10.3f %12.3f\n", name.c_str(), ms, ResidentGB(), DeviceUsedGB());
    }
    std::printf("%-28s %10.0f %10.3f %12.3f\n", "(all loaded)", totalMs, ResidentGB(), DeviceUsedGB());
    for (uint32_t id : ids) aclmdlUnload(id);
    std::printf("%-28s %10s %10.3f %12.3f\n", "(all unloaded)", "", ResidentGB(), DeviceUsedGB());
    aclrtResetDevice(0);
    aclFinalize();
    return 0;
}
