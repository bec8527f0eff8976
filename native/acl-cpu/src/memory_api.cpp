// aclrtMalloc/Free/MallocHost/FreeHost/GetMemInfo over the memory registry.
#include "acl/acl_rt.h"
#include "contexts.h"
#include "error_state.h"
#include "memory_registry.h"
#include "runtime.h"

using namespace aclcpu;

// Every policy gets the same memory: host RAM behind the registry. The policy is only range-checked.
extern "C" aclError aclrtMalloc(void** devPtr, size_t size, aclrtMemMallocPolicy policy) {
    return Guarded("aclrtMalloc", [&]() -> aclError {
        std::shared_ptr<Context> context;
        aclError status = RequireContext("aclrtMalloc", context);
        if (status != ACL_SUCCESS) return status;
        int rawPolicy = AbiInt(policy);
        if (rawPolicy < 0 || (rawPolicy & 0xFF) > ACL_MEM_MALLOC_HUGE1G_ONLY_P2P) {
            return Failf(ACL_ERROR_INVALID_PARAM, "aclrtMalloc: unknown memory policy %d", rawPolicy);
        }
        return AllocateMemory("aclrtMalloc", MemoryKind::Device, context->device, size, devPtr);
    });
}

extern "C" aclError aclrtFree(void* devPtr) {
    return Guarded("aclrtFree", [&]() -> aclError {
        aclError status = RequireInit("aclrtFree");
        if (status != ACL_SUCCESS) return status;
        return ReleaseMemory("aclrtFree", MemoryKind::Device, devPtr);
    });
}

extern "C" aclError aclrtMallocHost(void** hostPtr, size_t size) {
    return Guarded("aclrtMallocHost", [&]() -> aclError {
        aclError status = RequireInit("aclrtMallocHost");
        if (status != ACL_SUCCESS) return status;
        return AllocateMemory("aclrtMallocHost", MemoryKind::Host, -1, size, hostPtr);
    });
}

extern "C" aclError aclrtFreeHost(void* hostPtr) {
    return Guarded("aclrtFreeHost", [&]() -> aclError {
        aclError status = RequireInit("aclrtFreeHost");
        if (status != ACL_SUCCESS) return status;
        return ReleaseMemory("aclrtFreeHost", MemoryKind::Host, hostPtr);
    });
}

// All memory attributes (DDR/HBM, huge/normal) describe the one pool of the current device.
extern "C" aclError aclrtGetMemInfo(aclrtMemAttr attr, size_t* free, size_t* total) {
    return Guarded("aclrtGetMemInfo", [&]() -> aclError {
        if (free == nullptr || total == nullptr) {
            return Fail(ACL_ERROR_INVALID_PARAM, "aclrtGetMemInfo: free and total must not be NULL");
        }
        int rawAttr = AbiInt(attr);
        if (rawAttr < ACL_DDR_MEM || rawAttr > ACL_MEM_P2P_HUGE1G) {
            return Failf(ACL_ERROR_INVALID_PARAM, "aclrtGetMemInfo: unknown memory attribute %d", rawAttr);
        }
        std::shared_ptr<Context> context;
        aclError status = RequireContext("aclrtGetMemInfo", context);
        if (status != ACL_SUCCESS) return status;
        uint64_t used = 0, capacity = 0;
        DeviceMemoryUsage(context->device, used, capacity);
        *free = static_cast<size_t>(capacity - used);
        *total = static_cast<size_t>(capacity);
        return ACL_SUCCESS;
    });
}
