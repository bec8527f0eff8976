// aclrtCreateEvent/DestroyEvent/RecordEvent/SynchronizeEvent/QueryEventStatus/EventElapsedTime/StreamWaitEvent.
#include "events.h"

#include <algorithm>
#include <unordered_map>

#include "error_state.h"
#include "profiler.h"
#include "runtime.h"
#include "streams.h"

namespace aclcpu {
namespace {
std::mutex registryMutex;
std::unordered_map<const void*, std::shared_ptr<Event>> events;
}  // namespace

void Event::WaitFor(uint64_t generation) {
    std::unique_lock<std::mutex> lock(mutex);
    completedChanged.wait(lock, [&] { return completed >= generation; });
}

aclError LookupEvent(aclrtEvent handle, const char* function, std::shared_ptr<Event>& event) {
    aclError status = RequireInit(function);
    if (status != ACL_SUCCESS) return status;
    std::lock_guard<std::mutex> lock(registryMutex);
    auto it = events.find(handle);
    if (it == events.end()) {
        return Failf(ACL_ERROR_INVALID_PARAM, "%s: event %s is not a live event (never created or destroyed)", function,
                     HexPointer(handle).c_str());
    }
    event = it->second;
    return ACL_SUCCESS;
}

void ShutdownEvents() {
    std::lock_guard<std::mutex> lock(registryMutex);
    events.clear();
}

}  // namespace aclcpu

using namespace aclcpu;

extern "C" aclError aclrtCreateEvent(aclrtEvent* event) {
    return Guarded("aclrtCreateEvent", [&]() -> aclError {
        if (event == nullptr) return Fail(ACL_ERROR_INVALID_PARAM, "aclrtCreateEvent: event must not be NULL");
        aclError status = RequireInit("aclrtCreateEvent");
        if (status != ACL_SUCCESS) return status;
        auto created = std::make_shared<Event>();
        std::lock_guard<std::mutex> lock(registryMutex);
        events[created.get()] = created;
        *event = created.get();
        return ACL_SUCCESS;
    });
}

// Records still queued keep the event object alive; they complete harmlessly.
extern "C" aclError aclrtDestroyEvent(aclrtEvent event) {
    return Guarded("aclrtDestroyEvent", [&]() -> aclError {
        aclError status = RequireInit("aclrtDestroyEvent");
        if (status != ACL_SUCCESS) return status;
        std::lock_guard<std::mutex> lock(registryMutex);
        if (events.erase(event) == 0) {
            return Failf(ACL_ERROR_INVALID_PARAM, "aclrtDestroyEvent: event %s is not a live event",
                         HexPointer(event).c_str());
        }
        return ACL_SUCCESS;
    });
}

extern "C" aclError aclrtRecordEvent(aclrtEvent event, aclrtStream stream) {
    return Guarded("aclrtRecordEvent", [&]() -> aclError {
        std::shared_ptr<Event> target;
        std::shared_ptr<Stream> queue;
        aclError status = LookupEvent(event, "aclrtRecordEvent", target);
        if (status == ACL_SUCCESS) status = ResolveStream(stream, "aclrtRecordEvent", queue);
        if (status != ACL_SUCCESS) return status;
        uint64_t generation;
        {
            std::lock_guard<std::mutex> lock(target->mutex);
            generation = ++target->recorded;
        }
        uint32_t lane = queue->Id();
        bool queued = queue->Enqueue([target, generation, lane]() -> aclError {
            ProfileSpan span;
            {
                std::lock_guard<std::mutex> lock(target->mutex);
                if (generation > target->completed) {
                    target->completed = generation;
                    target->reachedAt = std::chrono::steady_clock::now();
                }
            }
            target->completedChanged.notify_all();
            if (span.On()) span.Finish("aclrtRecordEvent", lane, "");
            return ACL_SUCCESS;
        });
        if (!queued) {
            // The stream was destroyed concurrently: settle the record so waiters cannot hang.
            std::lock_guard<std::mutex> lock(target->mutex);
            target->completed = std::max(target->completed, generation);
            target->reachedAt = std::chrono::steady_clock::now();
            target->completedChanged.notify_all();
            return Fail(ACL_ERROR_INVALID_PARAM, "aclrtRecordEvent: the stream was destroyed while recording");
        }
        return ACL_SUCCESS;
    });
}

// Waits for the latest record made before this call; an event never recorded is already complete.
extern "C" aclError aclrtSynchronizeEvent(aclrtEvent event) {
    return Guarded("aclrtSynchronizeEvent", [&]() -> aclError {
        std::shared_ptr<Event> target;
        aclError status = LookupEvent(event, "aclrtSynchronizeEvent", target);
        if (status != ACL_SUCCESS) return status;
        ProfileSpan span;
        uint64_t generation;
        {
            std::lock_guard<std::mutex> lock(target->mutex);
            generation = target->recorded;
        }
        target->WaitFor(generation);
        if (span.On()) span.Finish("aclrtSynchronizeEvent", kHostLane, "");
        return ACL_SUCCESS;
    });
}

extern "C" aclError aclrtQueryEventStatus(aclrtEvent event, aclrtEventRecordedStatus* status) {
    return Guarded("aclrtQueryEventStatus", [&]() -> aclError {
        if (status == nullptr) return Fail(ACL_ERROR_INVALID_PARAM, "aclrtQueryEventStatus: status must not be NULL");
        std::shared_ptr<Event> target;
        aclError result = LookupEvent(event, "aclrtQueryEventStatus", target);
        if (result != ACL_SUCCESS) return result;
        std::lock_guard<std::mutex> lock(target->mutex);
        bool complete = target->recorded > 0 && target->completed >= target->recorded;
        *status = complete ? ACL_EVENT_RECORDED_STATUS_COMPLETE : ACL_EVENT_RECORDED_STATUS_NOT_READY;
        return ACL_SUCCESS;
    });
}

extern "C" aclError aclrtEventElapsedTime(float* ms, aclrtEvent startEvent, aclrtEvent endEvent) {
    return Guarded("aclrtEventElapsedTime", [&]() -> aclError {
        if (ms == nullptr) return Fail(ACL_ERROR_INVALID_PARAM, "aclrtEventElapsedTime: ms must not be NULL");
        std::shared_ptr<Event> events[2];
        aclError status = LookupEvent(startEvent, "aclrtEventElapsedTime", events[0]);
        if (status == ACL_SUCCESS) status = LookupEvent(endEvent, "aclrtEventElapsedTime", events[1]);
        if (status != ACL_SUCCESS) return status;
        std::chrono::steady_clock::time_point reached[2];
        for (int i = 0; i < 2; ++i) {
            std::lock_guard<std::mutex> lock(events[i]->mutex);
            const char* which = i == 0 ? "startEvent" : "endEvent";
            if (events[i]->recorded == 0) {
                return Failf(ACL_ERROR_RT_EVENT_TIMESTAMP_INVALID, "aclrtEventElapsedTime: %s was never recorded",
                             which);
            }
            if (events[i]->completed < events[i]->recorded) {
                return Failf(ACL_ERROR_RT_EVENT_NOT_COMPLETE,
                             "aclrtEventElapsedTime: %s has not completed yet; synchronize it first", which);
            }
            reached[i] = events[i]->reachedAt;
        }
        *ms = std::chrono::duration<float, std::milli>(reached[1] - reached[0]).count();
        return ACL_SUCCESS;
    });
}

// The stream's later work waits until the event's latest record (made before this call) completes.
extern "C" aclError aclrtStreamWaitEvent(aclrtStream stream, aclrtEvent event) {
    return Guarded("aclrtStreamWaitEvent", [&]() -> aclError {
        std::shared_ptr<Event> target;
        std::shared_ptr<Stream> queue;
        aclError status = LookupEvent(event, "aclrtStreamWaitEvent", target);
        if (status == ACL_SUCCESS) status = ResolveStream(stream, "aclrtStreamWaitEvent", queue);
        if (status != ACL_SUCCESS) return status;
        uint64_t generation;
        {
            std::lock_guard<std::mutex> lock(target->mutex);
            generation = target->recorded;
        }
        bool queued = queue->Enqueue([target, generation]() -> aclError {
            target->WaitFor(generation);
            return ACL_SUCCESS;
        });
        if (!queued) return Fail(ACL_ERROR_INVALID_PARAM, "aclrtStreamWaitEvent: the stream was destroyed meanwhile");
        return ACL_SUCCESS;
    });
}
