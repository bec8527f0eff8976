// aclInit / aclFinalize and the process-wide queries (version, SoC name, run mode).
#include "runtime.h"

#include <atomic>
#include <mutex>

#include "acl/acl_rt.h"
#include "contexts.h"
#include "error_state.h"
#include "events.h"
#include "memory_registry.h"
#include "models.h"
#include "profiler.h"
#include "streams.h"

namespace aclcpu {
namespace {
std::mutex lifecycleMutex;
std::atomic<bool> initialized{false};
bool everInitialized = false;
Config activeConfig;
}  // namespace

bool IsInitialized() { return initialized.load(std::memory_order_acquire); }

const Config& ActiveConfig() { return activeConfig; }

aclError RequireInit(const char* function) {
    if (IsInitialized()) return ACL_SUCCESS;
    return Failf(ACL_ERROR_UNINITIALIZE, "%s: AscendCL is not initialized; call aclInit first", function);
}

}  // namespace aclcpu

using namespace aclcpu;

extern "C" aclError aclInit(const char* configPath) {
    return Guarded("aclInit", [&]() -> aclError {
        std::lock_guard<std::mutex> lock(lifecycleMutex);
        if (initialized.load()) {
            return Fail(ACL_ERROR_REPEAT_INITIALIZE, "aclInit: already initialized; call aclFinalize first");
        }
        Config config;
        aclError status = LoadConfig(configPath, config);
        if (status != ACL_SUCCESS) return status;
        activeConfig = config;
        InitDevices(config.deviceCount);
        InitMemory(config.deviceCount, config.deviceMemoryBytes);
        everInitialized = true;
        initialized.store(true, std::memory_order_release);
        return ACL_SUCCESS;
    });
}

// Releases everything aclInit and later calls created: profiler output is written, streams are drained,
// models unloaded and every device/host allocation freed. Datasets, data buffers and tensor descs are
// host-side objects the caller owns; they survive.
extern "C" aclError aclFinalize(void) {
    return Guarded("aclFinalize", [&]() -> aclError {
        std::lock_guard<std::mutex> lock(lifecycleMutex);
        if (!initialized.load()) {
            if (everInitialized) return Fail(ACL_ERROR_REPEAT_FINALIZE, "aclFinalize: already finalized");
            return Fail(ACL_ERROR_UNINITIALIZE, "aclFinalize: AscendCL was never initialized");
        }
        initialized.store(false, std::memory_order_release);
        ShutdownProfiler();
        ShutdownStreams();
        ShutdownEvents();
        ShutdownContexts();
        ShutdownModels();
        ShutdownMemory();
        return ACL_SUCCESS;
    });
}

// Version of the AscendCL API these headers model (CANN 8.x era ACL 1.x); informational only.
extern "C" aclError aclrtGetVersion(int32_t* majorVersion, int32_t* minorVersion, int32_t* patchVersion) {
    if (majorVersion == nullptr || minorVersion == nullptr || patchVersion == nullptr) {
        return Fail(ACL_ERROR_INVALID_PARAM, "aclrtGetVersion: output pointers must not be NULL");
    }
    *majorVersion = 1;
    *minorVersion = 0;
    *patchVersion = 0;
    return ACL_SUCCESS;
}

extern "C" const char* aclrtGetSocName(void) {
    if (!IsInitialized()) {
        RequireInit("aclrtGetSocName");
        return nullptr;
    }
    return activeConfig.socName.c_str();
}

// The application runs on the host and reaches the "device" through the same API as a real accelerator
// card (separate memory, explicit copies), so the honest answer is ACL_HOST.
extern "C" aclError aclrtGetRunMode(aclrtRunMode* runMode) {
    if (runMode == nullptr) return Fail(ACL_ERROR_INVALID_PARAM, "aclrtGetRunMode: runMode must not be NULL");
    *runMode = ACL_HOST;
    return ACL_SUCCESS;
}
