// The stream registry and aclrtCreateStream/DestroyStream/SynchronizeStream/StreamWaitEvent.
#include <atomic>
#include <unordered_map>

#include "contexts.h"
#include "error_state.h"
#include "profiler.h"
#include "runtime.h"
#include "streams.h"

namespace aclcpu {
namespace {

struct StreamEntry {
    std::shared_ptr<Stream> stream;
    bool isDefault;
};

std::mutex registryMutex;
std::unordered_map<const void*, StreamEntry> streams;
std::atomic<uint32_t> nextStreamId{1};

std::shared_ptr<Stream> TakeRegistered(const void* handle) {
    std::lock_guard<std::mutex> lock(registryMutex);
    auto it = streams.find(handle);
    if (it == streams.end() || it->second.isDefault) return nullptr;
    std::shared_ptr<Stream> stream = it->second.stream;
    streams.erase(it);
    return stream;
}

}  // namespace

std::shared_ptr<Stream> CreateStreamFor(uint32_t contextId, int32_t device, bool registerHandle, aclrtStream* handle) {
    auto stream = std::make_shared<Stream>(nextStreamId++, contextId, device);
    std::lock_guard<std::mutex> lock(registryMutex);
    streams[stream.get()] = StreamEntry{stream, !registerHandle};
    if (handle != nullptr) *handle = stream.get();
    return stream;
}

aclError ResolveStream(aclrtStream handle, const char* function, std::shared_ptr<Stream>& stream) {
    if (handle == nullptr) {
        std::shared_ptr<Context> context;
        aclError status = RequireContext(function, context);
        if (status != ACL_SUCCESS) return status;
        stream = DefaultStreamOf(*context);
        return ACL_SUCCESS;
    }
    aclError status = RequireInit(function);
    if (status != ACL_SUCCESS) return status;
    std::lock_guard<std::mutex> lock(registryMutex);
    auto it = streams.find(handle);
    if (it == streams.end()) {
        return Failf(ACL_ERROR_INVALID_PARAM, "%s: stream %s is not a live stream (never created or destroyed)",
                     function, HexPointer(handle).c_str());
    }
    stream = it->second.stream;
    return ACL_SUCCESS;
}

std::vector<std::shared_ptr<Stream>> StreamsOfDevice(int32_t device) {
    std::vector<std::shared_ptr<Stream>> result;
    std::lock_guard<std::mutex> lock(registryMutex);
    for (auto& entry : streams) {
        if (entry.second.stream->Device() == device) result.push_back(entry.second.stream);
    }
    return result;
}

void DestroyStreamsOfContext(uint32_t contextId) {
    std::vector<std::shared_ptr<Stream>> doomed;
    {
        std::lock_guard<std::mutex> lock(registryMutex);
        for (auto it = streams.begin(); it != streams.end();) {
            if (it->second.stream->ContextId() == contextId) {
                doomed.push_back(it->second.stream);
                it = streams.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (auto& stream : doomed) stream->Stop();
}

void ShutdownStreams() {
    std::unordered_map<const void*, StreamEntry> doomed;
    {
        std::lock_guard<std::mutex> lock(registryMutex);
        doomed.swap(streams);
    }
    for (auto& entry : doomed) entry.second.stream->Stop();
}

}  // namespace aclcpu

using namespace aclcpu;

extern "C" aclError aclrtCreateStream(aclrtStream* stream) {
    return Guarded("aclrtCreateStream", [&]() -> aclError {
        if (stream == nullptr) return Fail(ACL_ERROR_INVALID_PARAM, "aclrtCreateStream: stream must not be NULL");
        std::shared_ptr<Context> context;
        aclError status = RequireContext("aclrtCreateStream", context);
        if (status != ACL_SUCCESS) return status;
        CreateStreamFor(context->id, context->device, true, stream);
        return ACL_SUCCESS;
    });
}

// Drains the stream first, so work queued before the destroy still completes.
extern "C" aclError aclrtDestroyStream(aclrtStream stream) {
    return Guarded("aclrtDestroyStream", [&]() -> aclError {
        aclError status = RequireInit("aclrtDestroyStream");
        if (status != ACL_SUCCESS) return status;
        if (stream == nullptr) return Fail(ACL_ERROR_INVALID_PARAM, "aclrtDestroyStream: stream must not be NULL");
        std::shared_ptr<Stream> doomed = TakeRegistered(stream);
        if (!doomed) {
            return Failf(ACL_ERROR_INVALID_PARAM, "aclrtDestroyStream: stream %s is not a live stream",
                         HexPointer(stream).c_str());
        }
        doomed->Stop();
        return ACL_SUCCESS;
    });
}

extern "C" aclError aclrtSynchronizeStream(aclrtStream stream) {
    return Guarded("aclrtSynchronizeStream", [&]() -> aclError {
        std::shared_ptr<Stream> target;
        aclError status = ResolveStream(stream, "aclrtSynchronizeStream", target);
        if (status != ACL_SUCCESS) return status;
        ProfileSpan span;
        status = target->Synchronize("aclrtSynchronizeStream");
        if (span.On()) {
            span.Finish("aclrtSynchronizeStream", kHostLane,
                        "\"stream\":" + std::to_string(target->Id()) + ",\"status\":" + std::to_string(status));
        }
        return status;
    });
}
