// Timeline recorder behind aclprof*: complete ("X") events written as Chrome-trace JSON.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace aclcpu {

// Lane for calls that run on the caller's thread (synchronous copies, aclmdlExecute, synchronize waits
// are recorded on the stream they wait for).
constexpr uint32_t kHostLane = 0;

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

// aclFinalize: stop recording, write what was recorded, forget the output directory.
void ShutdownProfiler();

}  // namespace aclcpu
