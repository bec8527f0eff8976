// Registry of live "device" and pinned-host allocations; every pointer the API receives is checked here.
#pragma once

#include <cstddef>
#include <cstdint>

#include "acl/acl_base.h"

namespace aclcpu {

enum class MemoryKind { Device, Host };

struct Allocation {
    uintptr_t base = 0;
    size_t size = 0;
    MemoryKind kind = MemoryKind::Device;
    int32_t device = -1;  // -1 for host allocations
};

void InitMemory(uint32_t deviceCount, uint64_t bytesPerDevice);

// aclFinalize: frees every allocation still live.
void ShutdownMemory();

// Allocates `size` bytes, 64-byte aligned, charged to `device` for device memory.
aclError AllocateMemory(const char* function, MemoryKind kind, int32_t device, size_t size, void** pointer);

// Frees an allocation of `kind` starting exactly at `pointer`.
aclError ReleaseMemory(const char* function, MemoryKind kind, void* pointer);

// Finds the live allocation that contains `pointer` (any byte of it). False when none does.
bool FindAllocation(const void* pointer, Allocation& allocation);

// Checks that `pointer` lies in a live device allocation and that `length` bytes from it stay inside.
// `role` names the argument in the message ("dst", "input buffer 2", ...).
aclError CheckDeviceRange(const char* function, const char* role, const void* pointer, size_t length);

// Model weights occupy device memory while a model is loaded.
aclError ReserveDeviceBytes(const char* function, int32_t device, uint64_t bytes);
void ReleaseDeviceBytes(int32_t device, uint64_t bytes);

void DeviceMemoryUsage(int32_t device, uint64_t& used, uint64_t& capacity);

}  // namespace aclcpu
