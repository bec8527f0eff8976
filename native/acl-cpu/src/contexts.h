// Devices and contexts: which device and context the calling thread works on.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "acl/acl_rt.h"

namespace aclcpu {

class Stream;

struct Context {
    Context(uint32_t id, int32_t device, bool isDefault) : id(id), device(device), isDefault(isDefault) {}
    const uint32_t id;
    const int32_t device;
    const bool isDefault;  // created by aclrtSetDevice, destroyed by the last aclrtResetDevice
    std::atomic<bool> alive{true};
    std::mutex mutex;
    std::shared_ptr<Stream> defaultStream;  // created on first use of the NULL stream
};

void InitDevices(uint32_t deviceCount);

// The calling thread's current context, or null when none is set (or it was destroyed).
std::shared_ptr<Context> CurrentContext();

// Like CurrentContext, but fails with ACL_ERROR_RT_CONTEXT_NULL and a message naming `function`.
aclError RequireContext(const char* function, std::shared_ptr<Context>& context);

// The context's default stream (what a NULL aclrtStream means), created on first use.
std::shared_ptr<Stream> DefaultStreamOf(Context& context);

// ACL_SUCCESS when 0 <= device < device count, else ACL_ERROR_RT_INVALID_DEVICEID.
aclError CheckDeviceId(const char* function, int32_t device);

// aclFinalize: destroy every context and forget device reference counts.
void ShutdownContexts();

}  // namespace aclcpu
