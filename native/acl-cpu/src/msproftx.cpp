// msproftx on the CPU device: aclprofCreateStamp / SetStampTraceMessage / Mark / Push / Pop / RangeStart /
// RangeStop / DestroyStamp. As CANN documents (Profiling AscendCL API for Extension, aclcppdevg_03_1178, CANN 7.0),
// they belong between aclprofStart and aclprofStop (outside that a call fails here), SetStampTraceMessage between
// CreateStamp and DestroyStamp, and they record only when the running config has ACL_PROF_MSPROFTX. Ranges and marks land on the
// timeline's "msproftx ranges" lane, named by the stamp's message.
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "acl/acl_prof.h"
#include "error_state.h"
#include "profiler.h"

namespace {

struct Stamp {
    std::string message;
};

struct OpenRange {
    std::string message;
    int64_t begin;
};

std::mutex stampMutex;
std::unordered_set<Stamp*> liveStamps;
std::unordered_map<uint32_t, OpenRange> openRanges;
uint32_t nextRangeId = 1;
thread_local std::vector<OpenRange> pushed;

aclError RequireRunning(const char* function) {
    if (!aclcpu::ProfilerRecording()) {
        return aclcpu::Failf(ACL_ERROR_PROF_NOT_RUN, "%s: msproftx calls belong between aclprofStart and aclprofStop", function);
    }
    return ACL_SUCCESS;
}

Stamp* LiveStamp(void* stamp) {
    auto* s = static_cast<Stamp*>(stamp);
    return liveStamps.count(s) != 0 ? s : nullptr;
}

void Record(const std::string& message, int64_t begin, int64_t end, const char* kind) {
    if (aclcpu::MsproftxEnabled()) {
        aclcpu::RecordEvent(message, aclcpu::kMarkerLane, begin, end - begin,
                            std::string("\"msproftx\":\"") + kind + "\"");
    }
}

}  // namespace

using namespace aclcpu;

extern "C" void* aclprofCreateStamp(void) {
    if (RequireRunning("aclprofCreateStamp") != ACL_SUCCESS) return nullptr;
    std::lock_guard<std::mutex> lock(stampMutex);
    auto* stamp = new Stamp{};
    liveStamps.insert(stamp);
    return stamp;
}

extern "C" void aclprofDestroyStamp(void* stamp) {
    std::lock_guard<std::mutex> lock(stampMutex);
    auto* s = LiveStamp(stamp);
    if (s == nullptr) {
        Fail(ACL_ERROR_INVALID_PARAM, "aclprofDestroyStamp: not a live stamp");
        return;
    }
    liveStamps.erase(s);
    delete s;
}

extern "C" aclError aclprofSetStampTraceMessage(void* stamp, const char* msg, uint32_t msgLen) {
    if (msg == nullptr || msgLen == 0) {
        return Fail(ACL_ERROR_INVALID_PARAM, "aclprofSetStampTraceMessage: the message is empty");
    }
    std::lock_guard<std::mutex> lock(stampMutex);
    auto* s = LiveStamp(stamp);
    if (s == nullptr) return Fail(ACL_ERROR_INVALID_PARAM, "aclprofSetStampTraceMessage: not a live stamp");
    s->message.assign(msg, strnlen(msg, msgLen));
    return ACL_SUCCESS;
}

extern "C" aclError aclprofMark(void* stamp) {
    aclError status = RequireRunning("aclprofMark");
    if (status != ACL_SUCCESS) return status;
    std::string message;
    {
        std::lock_guard<std::mutex> lock(stampMutex);
        auto* s = LiveStamp(stamp);
        if (s == nullptr) return Fail(ACL_ERROR_INVALID_PARAM, "aclprofMark: not a live stamp");
        message = s->message;
    }
    int64_t now = NowMicros();
    Record(message, now, now, "mark");
    return ACL_SUCCESS;
}

extern "C" aclError aclprofPush(void* stamp) {
    aclError status = RequireRunning("aclprofPush");
    if (status != ACL_SUCCESS) return status;
    std::lock_guard<std::mutex> lock(stampMutex);
    auto* s = LiveStamp(stamp);
    if (s == nullptr) return Fail(ACL_ERROR_INVALID_PARAM, "aclprofPush: not a live stamp");
    pushed.push_back(OpenRange{s->message, NowMicros()});
    return ACL_SUCCESS;
}

extern "C" aclError aclprofPop(void) {
    aclError status = RequireRunning("aclprofPop");
    if (status != ACL_SUCCESS) return status;
    if (pushed.empty()) return Fail(ACL_ERROR_INVALID_PARAM, "aclprofPop: no aclprofPush on this thread to pop");
    OpenRange range = pushed.back();
    pushed.pop_back();
    Record(range.message, range.begin, NowMicros(), "push/pop");
    return ACL_SUCCESS;
}

extern "C" aclError aclprofRangeStart(void* stamp, uint32_t* rangeId) {
    aclError status = RequireRunning("aclprofRangeStart");
    if (status != ACL_SUCCESS) return status;
    if (rangeId == nullptr) return Fail(ACL_ERROR_INVALID_PARAM, "aclprofRangeStart: rangeId is NULL");
    std::lock_guard<std::mutex> lock(stampMutex);
    auto* s = LiveStamp(stamp);
    if (s == nullptr) return Fail(ACL_ERROR_INVALID_PARAM, "aclprofRangeStart: not a live stamp");
    uint32_t id = nextRangeId++;
    openRanges[id] = OpenRange{s->message, NowMicros()};
    *rangeId = id;
    return ACL_SUCCESS;
}

extern "C" aclError aclprofRangeStop(uint32_t rangeId) {
    aclError status = RequireRunning("aclprofRangeStop");
    if (status != ACL_SUCCESS) return status;
    OpenRange range;
    {
        std::lock_guard<std::mutex> lock(stampMutex);
        auto found = openRanges.find(rangeId);
        if (found == openRanges.end()) return Failf(ACL_ERROR_INVALID_PARAM, "aclprofRangeStop: range %u is not open", rangeId);
        range = found->second;
        openRanges.erase(found);
    }
    Record(range.message, range.begin, NowMicros(), "range");
    return ACL_SUCCESS;
}
