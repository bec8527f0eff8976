#include "memory_registry.h"

#include <cstdlib>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "error_state.h"

namespace aclcpu {
namespace {

constexpr size_t kAlignment = 64;

struct DeviceBudget {
    uint64_t capacity = 0;
    uint64_t used = 0;
};

std::shared_mutex registryMutex;
std::map<uintptr_t, Allocation> allocations;  // keyed by base address
std::vector<DeviceBudget> budgets;

// Caller holds registryMutex (shared or exclusive).
const Allocation* FindLocked(uintptr_t address) {
    auto it = allocations.upper_bound(address);
    if (it == allocations.begin()) return nullptr;
    --it;
    const Allocation& candidate = it->second;
    return address - candidate.base < candidate.size ? &candidate : nullptr;
}

std::string Describe(const Allocation& allocation) {
    return std::to_string(allocation.size) + "-byte " +
           (allocation.kind == MemoryKind::Device ? "device allocation at " : "host allocation at ") +
           HexPointer(reinterpret_cast<const void*>(allocation.base));
}

}  // namespace

void InitMemory(uint32_t deviceCount, uint64_t bytesPerDevice) {
    std::unique_lock<std::shared_mutex> lock(registryMutex);
    budgets.assign(deviceCount, DeviceBudget{bytesPerDevice, 0});
}

void ShutdownMemory() {
    std::unique_lock<std::shared_mutex> lock(registryMutex);
    for (auto& entry : allocations) std::free(reinterpret_cast<void*>(entry.second.base));
    allocations.clear();
    budgets.clear();
}

aclError AllocateMemory(const char* function, MemoryKind kind, int32_t device, size_t size, void** pointer) {
    if (pointer == nullptr) return Failf(ACL_ERROR_INVALID_PARAM, "%s: the output pointer must not be NULL", function);
    if (size == 0) return Failf(ACL_ERROR_INVALID_PARAM, "%s: size must be greater than 0", function);
    if (size > (SIZE_MAX - kAlignment)) return Failf(ACL_ERROR_INVALID_PARAM, "%s: size %zu is too large", function, size);
    std::unique_lock<std::shared_mutex> lock(registryMutex);
    if (kind == MemoryKind::Device) {
        DeviceBudget& budget = budgets.at(static_cast<size_t>(device));
        if (size > budget.capacity - budget.used) {
            return Failf(ACL_ERROR_RT_MEMORY_ALLOCATION,
                         "%s: %zu bytes requested but device %d has only %llu of %llu bytes free", function, size,
                         device, static_cast<unsigned long long>(budget.capacity - budget.used),
                         static_cast<unsigned long long>(budget.capacity));
        }
    }
    size_t rounded = (size + kAlignment - 1) / kAlignment * kAlignment;
    void* memory = std::aligned_alloc(kAlignment, rounded);
    if (memory == nullptr) {
        return Failf(kind == MemoryKind::Device ? ACL_ERROR_RT_MEMORY_ALLOCATION : ACL_ERROR_BAD_ALLOC,
                     "%s: the host could not provide %zu bytes", function, size);
    }
    Allocation allocation{reinterpret_cast<uintptr_t>(memory), size, kind, kind == MemoryKind::Device ? device : -1};
    allocations[allocation.base] = allocation;
    if (kind == MemoryKind::Device) budgets[static_cast<size_t>(device)].used += size;
    *pointer = memory;
    return ACL_SUCCESS;
}

aclError ReleaseMemory(const char* function, MemoryKind kind, void* pointer) {
    if (pointer == nullptr) return Failf(ACL_ERROR_INVALID_PARAM, "%s: pointer must not be NULL", function);
    std::unique_lock<std::shared_mutex> lock(registryMutex);
    uintptr_t address = reinterpret_cast<uintptr_t>(pointer);
    const Allocation* found = FindLocked(address);
    const char* expected = kind == MemoryKind::Device ? "device" : "host";
    if (found == nullptr) {
        return Failf(ACL_ERROR_INVALID_PARAM,
                     "%s: %s is not a live %s allocation (already freed, or never allocated by AscendCL)", function,
                     HexPointer(pointer).c_str(), expected);
    }
    if (found->kind != kind) {
        return Failf(ACL_ERROR_INVALID_PARAM, "%s: %s is %s; free it with %s", function, HexPointer(pointer).c_str(),
                     Describe(*found).c_str(), kind == MemoryKind::Device ? "aclrtFreeHost" : "aclrtFree");
    }
    if (found->base != address) {
        return Failf(ACL_ERROR_INVALID_PARAM, "%s: %s points inside the %s, not at its start", function,
                     HexPointer(pointer).c_str(), Describe(*found).c_str());
    }
    if (kind == MemoryKind::Device) budgets[static_cast<size_t>(found->device)].used -= found->size;
    allocations.erase(address);
    std::free(pointer);
    return ACL_SUCCESS;
}

bool FindAllocation(const void* pointer, Allocation& allocation) {
    std::shared_lock<std::shared_mutex> lock(registryMutex);
    const Allocation* found = FindLocked(reinterpret_cast<uintptr_t>(pointer));
    if (found == nullptr) return false;
    allocation = *found;
    return true;
}

aclError CheckDeviceRange(const char* function, const char* role, const void* pointer, size_t length) {
    if (pointer == nullptr) return Failf(ACL_ERROR_INVALID_PARAM, "%s: %s must not be NULL", function, role);
    Allocation allocation;
    if (!FindAllocation(pointer, allocation) || allocation.kind != MemoryKind::Device) {
        return Failf(ACL_ERROR_INVALID_PARAM, "%s: %s %s is not inside a live device allocation", function, role,
                     HexPointer(pointer).c_str());
    }
    size_t offset = reinterpret_cast<uintptr_t>(pointer) - allocation.base;
    if (length > allocation.size - offset) {
        return Failf(ACL_ERROR_INVALID_PARAM, "%s: %s: %zu bytes at offset %zu run past the end of the %s", function,
                     role, length, offset, Describe(allocation).c_str());
    }
    return ACL_SUCCESS;
}

aclError ReserveDeviceBytes(const char* function, int32_t device, uint64_t bytes) {
    std::unique_lock<std::shared_mutex> lock(registryMutex);
    DeviceBudget& budget = budgets.at(static_cast<size_t>(device));
    if (bytes > budget.capacity - budget.used) {
        return Failf(ACL_ERROR_RT_MEMORY_ALLOCATION, "%s: %llu bytes of weights do not fit: device %d has %llu bytes free",
                     function, static_cast<unsigned long long>(bytes), device,
                     static_cast<unsigned long long>(budget.capacity - budget.used));
    }
    budget.used += bytes;
    return ACL_SUCCESS;
}

void ReleaseDeviceBytes(int32_t device, uint64_t bytes) {
    std::unique_lock<std::shared_mutex> lock(registryMutex);
    if (static_cast<size_t>(device) < budgets.size()) budgets[static_cast<size_t>(device)].used -= bytes;
}

void DeviceMemoryUsage(int32_t device, uint64_t& used, uint64_t& capacity) {
    std::shared_lock<std::shared_mutex> lock(registryMutex);
    const DeviceBudget& budget = budgets.at(static_cast<size_t>(device));
    used = budget.used;
    capacity = budget.capacity;
}

}  // namespace aclcpu
