// aclrtSetDevice/ResetDevice/GetDevice/GetDeviceCount, contexts, and aclrtSynchronizeDevice.
#include "contexts.h"

#include <unordered_map>
#include <vector>

#include "error_state.h"
#include "profiler.h"
#include "runtime.h"
#include "streams.h"

namespace aclcpu {
namespace {

struct DeviceState {
    int referenceCount = 0;
    std::shared_ptr<Context> defaultContext;
};

std::mutex registryMutex;
std::vector<DeviceState> devices;
std::unordered_map<const void*, std::shared_ptr<Context>> contexts;
std::atomic<uint32_t> nextContextId{1};
thread_local std::shared_ptr<Context> current;

std::shared_ptr<Context> NewContext(int32_t device, bool isDefault) {
    auto context = std::make_shared<Context>(nextContextId++, device, isDefault);
    contexts[context.get()] = context;
    return context;
}

// Caller holds registryMutex.
void RetireContext(std::shared_ptr<Context> context) {  // by value: erasing it below must not free it
    context->alive = false;
    contexts.erase(context.get());
    std::shared_ptr<Stream> defaultStream;
    {
        std::lock_guard<std::mutex> lock(context->mutex);
        defaultStream.swap(context->defaultStream);
    }
    if (defaultStream) defaultStream->Stop();
    DestroyStreamsOfContext(context->id);
}

}  // namespace

void InitDevices(uint32_t deviceCount) {
    std::lock_guard<std::mutex> lock(registryMutex);
    devices.assign(deviceCount, DeviceState());
}

std::shared_ptr<Context> CurrentContext() {
    if (current && current->alive.load(std::memory_order_acquire)) return current;
    return nullptr;
}

aclError RequireContext(const char* function, std::shared_ptr<Context>& context) {
    aclError status = RequireInit(function);
    if (status != ACL_SUCCESS) return status;
    context = CurrentContext();
    if (context) return ACL_SUCCESS;
    return Failf(ACL_ERROR_RT_CONTEXT_NULL,
                 "%s: the calling thread has no current context; call aclrtSetDevice or aclrtSetCurrentContext",
                 function);
}

std::shared_ptr<Stream> DefaultStreamOf(Context& context) {
    std::lock_guard<std::mutex> lock(context.mutex);
    if (!context.defaultStream) context.defaultStream = CreateStreamFor(context.id, context.device, false, nullptr);
    return context.defaultStream;
}

aclError CheckDeviceId(const char* function, int32_t device) {
    int32_t count = static_cast<int32_t>(ActiveConfig().deviceCount);
    if (device >= 0 && device < count) return ACL_SUCCESS;
    return Failf(ACL_ERROR_RT_INVALID_DEVICEID, "%s: device id %d is out of range (the CPU device has %d device(s))",
                 function, device, count);
}

void ShutdownContexts() {
    std::lock_guard<std::mutex> lock(registryMutex);
    while (!contexts.empty()) RetireContext(contexts.begin()->second);
    devices.clear();
    current.reset();
}

}  // namespace aclcpu

using namespace aclcpu;

extern "C" aclError aclrtSetDevice(int32_t deviceId) {
    return Guarded("aclrtSetDevice", [&]() -> aclError {
        aclError status = RequireInit("aclrtSetDevice");
        if (status == ACL_SUCCESS) status = CheckDeviceId("aclrtSetDevice", deviceId);
        if (status != ACL_SUCCESS) return status;
        std::lock_guard<std::mutex> lock(registryMutex);
        DeviceState& device = devices[static_cast<size_t>(deviceId)];
        if (device.referenceCount == 0) device.defaultContext = NewContext(deviceId, true);
        ++device.referenceCount;
        current = device.defaultContext;
        return ACL_SUCCESS;
    });
}

// The last reset destroys the device's contexts and streams. Allocations and loaded models stay until
// aclrtFree / aclmdlUnload / aclFinalize, so handles released late still free cleanly.
extern "C" aclError aclrtResetDevice(int32_t deviceId) {
    return Guarded("aclrtResetDevice", [&]() -> aclError {
        aclError status = RequireInit("aclrtResetDevice");
        if (status == ACL_SUCCESS) status = CheckDeviceId("aclrtResetDevice", deviceId);
        if (status != ACL_SUCCESS) return status;
        std::lock_guard<std::mutex> lock(registryMutex);
        DeviceState& device = devices[static_cast<size_t>(deviceId)];
        if (device.referenceCount == 0) {
            return Failf(ACL_ERROR_RT_INVALID_DEVICEID, "aclrtResetDevice: device %d is not set", deviceId);
        }
        if (--device.referenceCount > 0) return ACL_SUCCESS;
        std::vector<std::shared_ptr<Context>> onDevice;
        for (auto& entry : contexts) {
            if (entry.second->device == deviceId) onDevice.push_back(entry.second);
        }
        for (auto& context : onDevice) RetireContext(context);
        device.defaultContext.reset();
        return ACL_SUCCESS;
    });
}

extern "C" aclError aclrtGetDevice(int32_t* deviceId) {
    if (deviceId == nullptr) return Fail(ACL_ERROR_INVALID_PARAM, "aclrtGetDevice: deviceId must not be NULL");
    std::shared_ptr<Context> context;
    aclError status = RequireContext("aclrtGetDevice", context);
    if (status == ACL_SUCCESS) *deviceId = context->device;
    return status;
}

extern "C" aclError aclrtGetDeviceCount(uint32_t* count) {
    if (count == nullptr) return Fail(ACL_ERROR_INVALID_PARAM, "aclrtGetDeviceCount: count must not be NULL");
    aclError status = RequireInit("aclrtGetDeviceCount");
    if (status == ACL_SUCCESS) *count = ActiveConfig().deviceCount;
    return status;
}

extern "C" aclError aclrtCreateContext(aclrtContext* context, int32_t deviceId) {
    return Guarded("aclrtCreateContext", [&]() -> aclError {
        if (context == nullptr) return Fail(ACL_ERROR_INVALID_PARAM, "aclrtCreateContext: context must not be NULL");
        aclError status = RequireInit("aclrtCreateContext");
        if (status == ACL_SUCCESS) status = CheckDeviceId("aclrtCreateContext", deviceId);
        if (status != ACL_SUCCESS) return status;
        std::lock_guard<std::mutex> lock(registryMutex);
        current = NewContext(deviceId, false);  // as in CANN, the new context becomes current
        *context = current.get();
        return ACL_SUCCESS;
    });
}

extern "C" aclError aclrtDestroyContext(aclrtContext context) {
    return Guarded("aclrtDestroyContext", [&]() -> aclError {
        aclError status = RequireInit("aclrtDestroyContext");
        if (status != ACL_SUCCESS) return status;
        std::lock_guard<std::mutex> lock(registryMutex);
        auto it = contexts.find(context);
        if (it == contexts.end()) {
            return Failf(ACL_ERROR_INVALID_PARAM, "aclrtDestroyContext: %s is not a live context",
                         HexPointer(context).c_str());
        }
        if (it->second->isDefault) {
            return Fail(ACL_ERROR_INVALID_PARAM,
                        "aclrtDestroyContext: this is a device's default context; aclrtResetDevice releases it");
        }
        std::shared_ptr<Context> doomed = it->second;
        RetireContext(doomed);
        if (current == doomed) current.reset();
        return ACL_SUCCESS;
    });
}

extern "C" aclError aclrtSetCurrentContext(aclrtContext context) {
    return Guarded("aclrtSetCurrentContext", [&]() -> aclError {
        aclError status = RequireInit("aclrtSetCurrentContext");
        if (status != ACL_SUCCESS) return status;
        std::lock_guard<std::mutex> lock(registryMutex);
        auto it = contexts.find(context);
        if (it == contexts.end()) {
            return Failf(ACL_ERROR_INVALID_PARAM, "aclrtSetCurrentContext: %s is not a live context",
                         HexPointer(context).c_str());
        }
        current = it->second;
        return ACL_SUCCESS;
    });
}

extern "C" aclError aclrtGetCurrentContext(aclrtContext* context) {
    if (context == nullptr) return Fail(ACL_ERROR_INVALID_PARAM, "aclrtGetCurrentContext: context must not be NULL");
    std::shared_ptr<Context> live;
    aclError status = RequireContext("aclrtGetCurrentContext", live);
    if (status == ACL_SUCCESS) *context = live.get();
    return status;
}

extern "C" aclError aclrtSynchronizeDevice(void) {
    return Guarded("aclrtSynchronizeDevice", [&]() -> aclError {
        std::shared_ptr<Context> context;
        aclError status = RequireContext("aclrtSynchronizeDevice", context);
        if (status != ACL_SUCCESS) return status;
        ProfileSpan span;
        aclError first = ACL_SUCCESS;
        std::string firstMessage;
        for (auto& stream : StreamsOfDevice(context->device)) {
            aclError result = stream->Synchronize("aclrtSynchronizeDevice");
            if (result != ACL_SUCCESS && first == ACL_SUCCESS) {
                first = result;
                firstMessage = RecentError();
            }
        }
        if (span.On()) span.Finish("aclrtSynchronizeDevice", kHostLane, "\"device\":" + std::to_string(context->device));
        return first == ACL_SUCCESS ? ACL_SUCCESS : Fail(first, firstMessage);
    });
}
