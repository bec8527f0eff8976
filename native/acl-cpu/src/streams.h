// Streams: in-order asynchronous queues, each drained by its own worker thread, and their registry.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "acl/acl_rt.h"

namespace aclcpu {

class Stream {
public:
    // A task returns ACL_SUCCESS or a failure code after recording its message with Fail (on the worker thread).
    using Task = std::function<aclError()>;

    Stream(uint32_t id, uint32_t contextId, int32_t device);
    ~Stream();
    Stream(const Stream&) = delete;
    Stream& operator=(const Stream&) = delete;

    uint32_t Id() const { return id_; }
    uint32_t ContextId() const { return contextId_; }
    int32_t Device() const { return device_; }

    // Queues `task` behind everything queued before; false once the stream is stopped.
    bool Enqueue(Task task);

    // Waits until every queued task has run. Returns the first error an async task hit since the last
    // synchronize (and makes its message the caller's recent error), then clears it.
    aclError Synchronize(const char* function);

    // Drains the queue and joins the worker. Idempotent.
    void Stop();

private:
    void Run();

    const uint32_t id_;
    const uint32_t contextId_;
    const int32_t device_;
    std::mutex mutex_;
    std::mutex joinMutex_;
    std::condition_variable wake_;
    std::condition_variable idle_;
    std::deque<Task> queue_;
    bool busy_ = false;
    bool stopping_ = false;
    aclError firstError_ = ACL_SUCCESS;
    std::string firstErrorMessage_;
    std::thread worker_;
};

// Resolves a stream handle; NULL means the current context's default stream (created on first use).
aclError ResolveStream(aclrtStream handle, const char* function, std::shared_ptr<Stream>& stream);

// Creates a stream owned by context `contextId` on `device` (used for default streams too).
std::shared_ptr<Stream> CreateStreamFor(uint32_t contextId, int32_t device, bool registerHandle, aclrtStream* handle);

// Live streams of one device, for aclrtSynchronizeDevice.
std::vector<std::shared_ptr<Stream>> StreamsOfDevice(int32_t device);

// Stops and forgets the registered streams of one context (aclrtDestroyContext / aclrtResetDevice).
void DestroyStreamsOfContext(uint32_t contextId);

// aclFinalize: drain and stop every stream.
void ShutdownStreams();

}  // namespace aclcpu
