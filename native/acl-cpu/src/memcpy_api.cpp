// aclrtMemcpy/MemcpyAsync/Memset/MemsetAsync: every pointer and range is checked against the registry.
#include <cstring>
#include <string>

#include "acl/acl_rt.h"
#include "error_state.h"
#include "memory_registry.h"
#include "profiler.h"
#include "runtime.h"
#include "streams.h"

using namespace aclcpu;

namespace {

const char* KindName(int kind) {
    switch (kind) {
        case ACL_MEMCPY_HOST_TO_HOST: return "ACL_MEMCPY_HOST_TO_HOST";
        case ACL_MEMCPY_HOST_TO_DEVICE: return "ACL_MEMCPY_HOST_TO_DEVICE";
        case ACL_MEMCPY_DEVICE_TO_HOST: return "ACL_MEMCPY_DEVICE_TO_HOST";
        case ACL_MEMCPY_DEVICE_TO_DEVICE: return "ACL_MEMCPY_DEVICE_TO_DEVICE";
        case ACL_MEMCPY_DEFAULT: return "ACL_MEMCPY_DEFAULT";
        case ACL_MEMCPY_HOST_TO_BUF_TO_DEVICE: return "ACL_MEMCPY_HOST_TO_BUF_TO_DEVICE";
        case ACL_MEMCPY_INNER_DEVICE_TO_DEVICE: return "ACL_MEMCPY_INNER_DEVICE_TO_DEVICE";
        case ACL_MEMCPY_INTER_DEVICE_TO_DEVICE: return "ACL_MEMCPY_INTER_DEVICE_TO_DEVICE";
    }
    return "unknown";
}

// One side of a copy: device memory must be inside a live device allocation with the whole range in it;
// host memory must not be device memory, and if it is a pinned (aclrtMallocHost) block the range must fit.
aclError CheckSide(const char* function, const char* role, const void* pointer, size_t count, bool wantDevice,
                   int kind) {
    if (wantDevice) return CheckDeviceRange(function, role, pointer, count);
    Allocation allocation;
    if (!FindAllocation(pointer, allocation)) return ACL_SUCCESS;  // ordinary host memory: nothing to check
    if (allocation.kind == MemoryKind::Device) {
        return Failf(ACL_ERROR_INVALID_PARAM, "%s: %s %s is device memory, but %s expects host memory there", function,
                     role, HexPointer(pointer).c_str(), KindName(kind));
    }
    size_t offset = reinterpret_cast<uintptr_t>(pointer) - allocation.base;
    if (count > allocation.size - offset) {
        return Failf(ACL_ERROR_INVALID_PARAM, "%s: %s: %zu bytes at offset %zu run past the end of a %zu-byte host "
                     "allocation", function, role, count, offset, allocation.size);
    }
    return ACL_SUCCESS;
}

bool IsDevice(const void* pointer) {
    Allocation allocation;
    return FindAllocation(pointer, allocation) && allocation.kind == MemoryKind::Device;
}

aclError ValidateCopy(const char* function, void* dst, size_t destMax, const void* src, size_t count, int kind) {
    if (dst == nullptr || src == nullptr) return Failf(ACL_ERROR_INVALID_PARAM, "%s: dst and src must not be NULL", function);
    if (count > destMax) {
        return Failf(ACL_ERROR_INVALID_PARAM, "%s: count %zu exceeds destMax %zu", function, count, destMax);
    }
    bool dstDevice, srcDevice;
    switch (kind) {
        case ACL_MEMCPY_HOST_TO_HOST: dstDevice = false; srcDevice = false; break;
        case ACL_MEMCPY_HOST_TO_DEVICE:
        case ACL_MEMCPY_HOST_TO_BUF_TO_DEVICE: dstDevice = true; srcDevice = false; break;
        case ACL_MEMCPY_DEVICE_TO_HOST: dstDevice = false; srcDevice = true; break;
        case ACL_MEMCPY_DEVICE_TO_DEVICE:
        case ACL_MEMCPY_INNER_DEVICE_TO_DEVICE:
        case ACL_MEMCPY_INTER_DEVICE_TO_DEVICE: dstDevice = true; srcDevice = true; break;
        case ACL_MEMCPY_DEFAULT: dstDevice = IsDevice(dst); srcDevice = IsDevice(src); break;
        default: return Failf(ACL_ERROR_INVALID_PARAM, "%s: unknown memcpy kind %d", function, kind);
    }
    aclError status = CheckSide(function, "dst", dst, count, dstDevice, kind);
    if (status == ACL_SUCCESS) status = CheckSide(function, "src", src, count, srcDevice, kind);
    return status;
}

aclError ValidateSet(const char* function, void* devPtr, size_t maxCount, size_t count) {
    if (count > maxCount) {
        return Failf(ACL_ERROR_INVALID_PARAM, "%s: count %zu exceeds maxCount %zu", function, count, maxCount);
    }
    return CheckDeviceRange(function, "devPtr", devPtr, count);
}

std::string CopyArgs(int kind, size_t count) {
    return std::string("\"kind\":\"") + KindName(kind) + "\",\"bytes\":" + std::to_string(count);
}

}  // namespace

extern "C" aclError aclrtMemcpy(void* dst, size_t destMax, const void* src, size_t count, aclrtMemcpyKind kind) {
    return Guarded("aclrtMemcpy", [&, kind = AbiInt(kind)]() -> aclError {
        aclError status = RequireInit("aclrtMemcpy");
        if (status == ACL_SUCCESS) status = ValidateCopy("aclrtMemcpy", dst, destMax, src, count, kind);
        if (status != ACL_SUCCESS) return status;
        ProfileSpan span;
        std::memmove(dst, src, count);
        if (span.On()) span.Finish("aclrtMemcpy", kHostLane, CopyArgs(kind, count));
        return ACL_SUCCESS;
    });
}

// Arguments are checked now (errors return immediately); the worker re-checks before copying, so memory
// freed in between is reported by the next synchronize instead of being touched.
extern "C" aclError aclrtMemcpyAsync(void* dst, size_t destMax, const void* src, size_t count, aclrtMemcpyKind kind,
                                     aclrtStream stream) {
    return Guarded("aclrtMemcpyAsync", [&, kind = AbiInt(kind)]() -> aclError {
        std::shared_ptr<Stream> queue;
        aclError status = ResolveStream(stream, "aclrtMemcpyAsync", queue);
        if (status == ACL_SUCCESS) status = ValidateCopy("aclrtMemcpyAsync", dst, destMax, src, count, kind);
        if (status != ACL_SUCCESS) return status;
        uint32_t lane = queue->Id();
        bool queued = queue->Enqueue([=]() -> aclError {
            aclError result = ValidateCopy("aclrtMemcpyAsync", dst, destMax, src, count, kind);
            if (result != ACL_SUCCESS) return result;
            ProfileSpan span;
            std::memmove(dst, src, count);
            if (span.On()) span.Finish("aclrtMemcpyAsync", lane, CopyArgs(kind, count));
            return ACL_SUCCESS;
        });
        return queued ? ACL_SUCCESS : Fail(ACL_ERROR_INVALID_PARAM, "aclrtMemcpyAsync: the stream was destroyed meanwhile");
    });
}

extern "C" aclError aclrtMemset(void* devPtr, size_t maxCount, int32_t value, size_t count) {
    return Guarded("aclrtMemset", [&]() -> aclError {
        aclError status = RequireInit("aclrtMemset");
        if (status == ACL_SUCCESS) status = ValidateSet("aclrtMemset", devPtr, maxCount, count);
        if (status != ACL_SUCCESS) return status;
        ProfileSpan span;
        std::memset(devPtr, value, count);
        if (span.On()) span.Finish("aclrtMemset", kHostLane, "\"bytes\":" + std::to_string(count));
        return ACL_SUCCESS;
    });
}

extern "C" aclError aclrtMemsetAsync(void* devPtr, size_t maxCount, int32_t value, size_t count, aclrtStream stream) {
    return Guarded("aclrtMemsetAsync", [&]() -> aclError {
        std::shared_ptr<Stream> queue;
        aclError status = ResolveStream(stream, "aclrtMemsetAsync", queue);
        if (status == ACL_SUCCESS) status = ValidateSet("aclrtMemsetAsync", devPtr, maxCount, count);
        if (status != ACL_SUCCESS) return status;
        uint32_t lane = queue->Id();
        bool queued = queue->Enqueue([=]() -> aclError {
            aclError result = ValidateSet("aclrtMemsetAsync", devPtr, maxCount, count);
            if (result != ACL_SUCCESS) return result;
            ProfileSpan span;
            std::memset(devPtr, value, count);
            if (span.On()) span.Finish("aclrtMemsetAsync", lane, "\"bytes\":" + std::to_string(count));
            return ACL_SUCCESS;
        });
        return queued ? ACL_SUCCESS : Fail(ACL_ERROR_INVALID_PARAM, "aclrtMemsetAsync: the stream was destroyed meanwhile");
    });
}
