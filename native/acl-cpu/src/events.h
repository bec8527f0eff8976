// Events: markers recorded into a stream; complete when the stream's worker reaches them.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>

#include "acl/acl_rt.h"

namespace aclcpu {

struct Event {
    std::mutex mutex;
    std::condition_variable completedChanged;
    uint64_t recorded = 0;   // generation of the latest aclrtRecordEvent
    uint64_t completed = 0;  // generation the worker last reached
    std::chrono::steady_clock::time_point reachedAt;

    // Blocks until the worker has reached record number `generation`.
    void WaitFor(uint64_t generation);
};

aclError LookupEvent(aclrtEvent handle, const char* function, std::shared_ptr<Event>& event);

// aclFinalize: forget every event.
void ShutdownEvents();

}  // namespace aclcpu
