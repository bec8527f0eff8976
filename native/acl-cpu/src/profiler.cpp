// aclprofInit/CreateConfig/Start/Stop/DestroyConfig/Finalize: records complete events while started and
// writes them as Chrome-trace JSON to <dir>/aio_timeline_<pid>.json (opens in Perfetto / chrome://tracing).
#include "profiler.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <unordered_set>
#include <vector>
#include <unistd.h>

#include "acl/acl_prof.h"
#include "error_state.h"
#include "runtime.h"

struct aclprofConfig {
    std::vector<uint32_t> devices;
    aclprofAicoreMetrics metrics;
    uint64_t dataTypes;
};

namespace aclcpu {
namespace profiler_detail {
std::atomic<bool> recording{false};
}

namespace {

struct TraceEvent {
    std::string name;
    uint32_t lane;
    int64_t begin;
    int64_t duration;
    std::string args;
};

std::mutex profilerMutex;
bool profilerInitialized = false;
std::string outputDirectory;
std::vector<TraceEvent> trace;
std::unordered_set<const void*> liveConfigs;
uint64_t runningDataTypes = 0;   // the started config's dataTypeConfig
int runningMetrics = ACL_AICORE_NONE;

std::string OutputPath() {
    return outputDirectory + "/aio_timeline_" + std::to_string(static_cast<long>(getpid())) + ".json";
}

// Caller holds profilerMutex. The file always holds everything recorded since aclprofInit.
aclError WriteTrace(const char* function) {
    std::ofstream file(OutputPath(), std::ios::trunc);
    if (!file) return Failf(ACL_ERROR_WRITE_FILE, "%s: cannot write '%s'", function, OutputPath().c_str());
    long pid = static_cast<long>(getpid());
    std::set<uint32_t> lanes{kHostLane};
    for (const auto& e : trace) lanes.insert(e.lane);
    file << "{\"traceEvents\":[\n";
    file << "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":" << pid
         << ",\"tid\":0,\"args\":{\"name\":\"AscendAio CPU device\"}}";
    // What the collection was configured with (aclprofCreateConfig's metrics and data-type flags).
    file << ",\n{\"name\":\"aclprof_config\",\"ph\":\"M\",\"pid\":" << pid << ",\"tid\":0,\"args\":{\"aicore_metrics\":"
         << runningMetrics << ",\"data_type_config\":" << runningDataTypes << "}}";
    for (uint32_t lane : lanes) {
        file << ",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":" << pid << ",\"tid\":" << lane
             << ",\"args\":{\"name\":\""
             << (lane == kHostLane ? std::string("host calls") : lane == kMarkerLane ? std::string("msproftx ranges") : "stream " + std::to_string(lane))
             << "\"}}";
    }
    for (const auto& e : trace) {
        file << ",\n{\"name\":\"" << JsonEscape(e.name) << "\",\"cat\":\"acl\",\"ph\":\"X\",\"ts\":" << e.begin
             << ",\"dur\":" << e.duration << ",\"pid\":" << pid << ",\"tid\":" << e.lane << ",\"args\":{" << e.args
             << "}}";
    }
    file << "\n],\"displayTimeUnit\":\"ms\"}\n";
    file.close();
    if (!file) return Failf(ACL_ERROR_WRITE_FILE, "%s: writing '%s' failed", function, OutputPath().c_str());
    return ACL_SUCCESS;
}

bool IsLiveConfig(const aclprofConfig* config) {
    return liveConfigs.count(config) != 0;
}

}  // namespace

int64_t NowMicros() {
    static const auto origin = std::chrono::steady_clock::now();
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - origin).count();
}

void ProfileSpan::Finish(const char* name, uint32_t lane, const std::string& argsJson) const {
    int64_t end = NowMicros();
    std::lock_guard<std::mutex> lock(profilerMutex);
    if (!profilerInitialized) return;
    trace.push_back(TraceEvent{name, lane, begin_, end - begin_, argsJson});
}

bool RecordEvent(const std::string& name, uint32_t lane, int64_t begin, int64_t duration, const std::string& argsJson) {
    std::lock_guard<std::mutex> lock(profilerMutex);
    if (!profilerInitialized || !profiler_detail::recording.load()) return false;
    trace.push_back(TraceEvent{name, lane, begin, duration, argsJson});
    return true;
}

bool MsproftxEnabled() {
    std::lock_guard<std::mutex> lock(profilerMutex);
    return profiler_detail::recording.load() && (runningDataTypes & ACL_PROF_MSPROFTX) != 0;
}

std::string JsonEscape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(c);
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof(escaped), "\\u%04x", static_cast<unsigned>(c));
            out += escaped;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

void ShutdownProfiler() {
    std::lock_guard<std::mutex> lock(profilerMutex);
    if (profiler_detail::recording.exchange(false) && profilerInitialized) WriteTrace("aclFinalize");
    profilerInitialized = false;
    outputDirectory.clear();
    trace.clear();
}

}  // namespace aclcpu

using namespace aclcpu;

extern "C" aclError aclprofInit(const char* profilerResultPath, size_t length) {
    return Guarded("aclprofInit", [&]() -> aclError {
        aclError status = RequireInit("aclprofInit");
        if (status != ACL_SUCCESS) return status;
        if (profilerResultPath == nullptr || length == 0) {
            return Fail(ACL_ERROR_INVALID_PARAM, "aclprofInit: the result path must not be empty");
        }
        std::string directory(profilerResultPath, strnlen(profilerResultPath, length));
        std::lock_guard<std::mutex> lock(profilerMutex);
        if (profilerInitialized) return Fail(ACL_ERROR_REPEAT_INITIALIZE, "aclprofInit: already initialized");
        std::error_code error;
        std::filesystem::create_directories(directory, error);
        if (!std::filesystem::is_directory(directory)) {
            return Failf(ACL_ERROR_INVALID_FILE, "aclprofInit: '%s' is not a directory and cannot be created",
                         directory.c_str());
        }
        outputDirectory = directory;
        trace.clear();
        profilerInitialized = true;
        return ACL_SUCCESS;
    });
}

// Device list, metrics and data-type flags are recorded; ACL_PROF_MSPROFTX turns the marker lane on, the rest of the
// CPU timeline is the same for every flag. AI Core metrics need ACL_PROF_AICORE_METRICS, as on CANN.
extern "C" aclprofConfig* aclprofCreateConfig(uint32_t* deviceIdList, uint32_t deviceNums,
                                              aclprofAicoreMetrics aicoreMetrics,
                                              const aclprofAicoreEvents* aicoreEvents, uint64_t dataTypeConfig) {
    (void)aicoreEvents;
    if (RequireInit("aclprofCreateConfig") != ACL_SUCCESS) return nullptr;
    if (deviceNums > 0 && deviceIdList == nullptr) {
        Fail(ACL_ERROR_INVALID_PARAM, "aclprofCreateConfig: deviceIdList is NULL but deviceNums > 0");
        return nullptr;
    }
    for (uint32_t i = 0; i < deviceNums; ++i) {
        if (deviceIdList[i] >= ActiveConfig().deviceCount) {
            Failf(ACL_ERROR_INVALID_PARAM, "aclprofCreateConfig: device id %u is out of range", deviceIdList[i]);
            return nullptr;
        }
    }
    bool knownMetrics = (aicoreMetrics >= ACL_AICORE_ARITHMETIC_UTILIZATION && aicoreMetrics <= ACL_AICORE_MEMORY_ACCESS) ||
                        aicoreMetrics == ACL_AICORE_NONE;
    if (!knownMetrics) {
        Failf(ACL_ERROR_INVALID_PARAM, "aclprofCreateConfig: %d is not an aclprofAicoreMetrics value", static_cast<int>(aicoreMetrics));
        return nullptr;
    }
    try {
        auto* config = new aclprofConfig{std::vector<uint32_t>(deviceIdList, deviceIdList + deviceNums), aicoreMetrics,
                                         dataTypeConfig};
        std::lock_guard<std::mutex> lock(profilerMutex);
        liveConfigs.insert(config);
        return config;
    } catch (...) {
        Fail(ACL_ERROR_BAD_ALLOC, "aclprofCreateConfig: host memory exhausted");
        return nullptr;
    }
}

extern "C" aclError aclprofDestroyConfig(const aclprofConfig* profilerConfig) {
    {
        std::lock_guard<std::mutex> lock(profilerMutex);
        if (liveConfigs.erase(profilerConfig) == 0) {
            return Fail(ACL_ERROR_INVALID_PARAM, "aclprofDestroyConfig: not a live profiling config");
        }
    }
    delete profilerConfig;
    return ACL_SUCCESS;
}

extern "C" aclError aclprofStart(const aclprofConfig* profilerConfig) {
    std::lock_guard<std::mutex> lock(profilerMutex);
    if (!profilerInitialized) return Fail(ACL_ERROR_UNINITIALIZE, "aclprofStart: call aclprofInit first");
    if (!IsLiveConfig(profilerConfig)) return Fail(ACL_ERROR_INVALID_PARAM, "aclprofStart: not a live profiling config");
    if (profiler_detail::recording.load()) return Fail(ACL_ERROR_PROF_ALREADY_RUN, "aclprofStart: already started");
    runningDataTypes = profilerConfig->dataTypes;
    runningMetrics = static_cast<int>(profilerConfig->metrics);
    profiler_detail::recording.store(true);
    return ACL_SUCCESS;
}

extern "C" aclError aclprofStop(const aclprofConfig* profilerConfig) {
    return Guarded("aclprofStop", [&]() -> aclError {
        std::lock_guard<std::mutex> lock(profilerMutex);
        if (!profilerInitialized) return Fail(ACL_ERROR_UNINITIALIZE, "aclprofStop: call aclprofInit first");
        if (!IsLiveConfig(profilerConfig)) {
            return Fail(ACL_ERROR_INVALID_PARAM, "aclprofStop: not a live profiling config");
        }
        if (!profiler_detail::recording.exchange(false)) {
            return Fail(ACL_ERROR_PROF_NOT_RUN, "aclprofStop: profiling was not started");
        }
        return WriteTrace("aclprofStop");
    });
}

extern "C" aclError aclprofFinalize(void) {
    return Guarded("aclprofFinalize", [&]() -> aclError {
        std::lock_guard<std::mutex> lock(profilerMutex);
        if (!profilerInitialized) return Fail(ACL_ERROR_UNINITIALIZE, "aclprofFinalize: aclprofInit was not called");
        aclError status = ACL_SUCCESS;
        if (profiler_detail::recording.exchange(false)) status = WriteTrace("aclprofFinalize");
        profilerInitialized = false;
        outputDirectory.clear();
        trace.clear();
        return status;
    });
}
