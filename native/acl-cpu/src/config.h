// Settings of the CPU device, read by aclInit from the optional JSON config file (keys under "aio_cpu").
#pragma once

#include <cstdint>
#include <string>

#include "acl/acl_base.h"

namespace aclcpu {

struct Config {
    uint32_t deviceCount = 1;
    uint64_t deviceMemoryBytes = 64ULL << 30;  // a 910B's HBM
    std::string socName = "AioCPU";
};

// Reads `path` (NULL or "" = defaults). Returns ACL_SUCCESS or a failure recorded through Fail.
aclError LoadConfig(const char* path, Config& config);

}  // namespace aclcpu
