// Process-wide lifecycle of the CPU device: aclInit/aclFinalize state and the config it read.
#pragma once

#include "acl/acl_base.h"
#include "config.h"

namespace aclcpu {

bool IsInitialized();

// The config aclInit read; only meaningful while initialized.
const Config& ActiveConfig();

// ACL_SUCCESS when aclInit has run, else ACL_ERROR_UNINITIALIZE with a message naming `function`.
aclError RequireInit(const char* function);

}  // namespace aclcpu
