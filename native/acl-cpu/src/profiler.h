// Timeline recorder behind aclprof*: complete ("X") events written as Chrome-trace JSON.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace aclcpu {

// Lane for calls that run on the caller's thread (synchronous copies, aclmdlExecute, synchronize waits
// are recorded on the stream they wait for).
constexpr uint32_t kHostLane = 0;

// Lane for msproftx markers and ranges (aclprofMark, aclprofPush/Pop, aclprofRangeStart/Stop).
constexpr uint32_t kMarkerLane = 0xFFFF;

namespace profiler_detail {
extern std::atomic<bool> recording;
}

// True while between aclprofStart and aclprofStop; a relaxed load, so call sites stay cheap when off.
inline bool ProfilerRecording() { return profiler_detail::recording.load(std::memory_order_relaxed); }

int64_t NowMicros();

// Measures one call when the profiler was recording at construction.
class ProfileSpan {
public:
    ProfileSpan() : begin_(ProfilerRecording() ? NowMicros() : -1) {}
    bool On() const { return begin_ >= 0; }
    // `argsJson` is the body of the "args" object without braces, e.g. "\"bytes\":64".
    void Finish(const char* name, uint32_t lane, const std::string& argsJson) const;

private:
    int64_t begin_;
};

std::string JsonEscape(const std::string& text);

// Appends one event when recording; false when the profiler is not between aclprofStart and aclprofStop.
bool RecordEvent(const std::string& name, uint32_t lane, int64_t begin, int64_t duration, const std::string& argsJson);

// Whether the running collection's config asked for msproftx data (ACL_PROF_MSPROFTX).
bool MsproftxEnabled();

// aclFinalize: stop recording, write what was recorded, forget the output directory.
void ShutdownProfiler();

}  // namespace aclcpu
