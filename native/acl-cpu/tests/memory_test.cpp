#include <cstdint>
#include <vector>

#include "acl_test.h"

using MemoryTest = AclTest;

TEST_F(MemoryTest, Malloc_IsAlignedTo64Bytes) {
    for (size_t size : {1, 63, 65, 4096}) {
        void* pointer = DeviceAlloc(size);
        EXPECT_EQ(reinterpret_cast<uintptr_t>(pointer) % 64, 0u);
        EXPECT_EQ(aclrtFree(pointer), ACL_SUCCESS);
    }
}

TEST_F(MemoryTest, Malloc_WithZeroSizeOrNullOutput_ReturnsInvalidParam) {
    void* pointer = nullptr;
    EXPECT_EQ(aclrtMalloc(&pointer, 0, ACL_MEM_MALLOC_HUGE_FIRST), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtMalloc(nullptr, 64, ACL_MEM_MALLOC_HUGE_FIRST), ACL_ERROR_INVALID_PARAM);
}

TEST_F(MemoryTest, Malloc_OverCapacity_ReturnsMemoryAllocation) {
    void* pointer = nullptr;
    EXPECT_EQ(aclrtMalloc(&pointer, (64ull << 30) + 1, ACL_MEM_MALLOC_HUGE_FIRST), ACL_ERROR_RT_MEMORY_ALLOCATION);
}

TEST_F(MemoryTest, Free_UnknownPointer_ReturnsInvalidParam) {
    int local = 0;
    EXPECT_EQ(aclrtFree(&local), ACL_ERROR_INVALID_PARAM);
    EXPECT_NE(RecentError().find("not a live device allocation"), std::string::npos) << RecentError();
    EXPECT_EQ(aclrtFree(nullptr), ACL_ERROR_INVALID_PARAM);
}

TEST_F(MemoryTest, Free_Twice_ReturnsInvalidParam) {
    void* pointer = DeviceAlloc(128);
    EXPECT_EQ(aclrtFree(pointer), ACL_SUCCESS);
    EXPECT_EQ(aclrtFree(pointer), ACL_ERROR_INVALID_PARAM);
}

TEST_F(MemoryTest, Free_InteriorPointer_ReturnsInvalidParam) {
    char* pointer = static_cast<char*>(DeviceAlloc(128));
    EXPECT_EQ(aclrtFree(pointer + 8), ACL_ERROR_INVALID_PARAM);
    EXPECT_NE(RecentError().find("inside"), std::string::npos) << RecentError();
    EXPECT_EQ(aclrtFree(pointer), ACL_SUCCESS);
}

TEST_F(MemoryTest, Free_HostAllocation_ReturnsInvalidParam) {
    void* host = nullptr;
    ASSERT_EQ(aclrtMallocHost(&host, 256), ACL_SUCCESS);
    EXPECT_EQ(aclrtFree(host), ACL_ERROR_INVALID_PARAM);
    EXPECT_NE(RecentError().find("aclrtFreeHost"), std::string::npos) << RecentError();
    EXPECT_EQ(aclrtFreeHost(host), ACL_SUCCESS);
    EXPECT_EQ(aclrtFreeHost(host), ACL_ERROR_INVALID_PARAM);
}

TEST_F(MemoryTest, Memcpy_RoundTripsThroughDevice) {
    std::vector<int32_t> source(1000), back(1000, 0);
    for (int i = 0; i < 1000; ++i) source[i] = i * 7;
    char* a = static_cast<char*>(DeviceAlloc(4000));
    char* b = static_cast<char*>(DeviceAlloc(4000));
    ASSERT_EQ(aclrtMemcpy(a, 4000, source.data(), 4000, ACL_MEMCPY_HOST_TO_DEVICE), ACL_SUCCESS);
    ASSERT_EQ(aclrtMemcpy(b, 4000, a, 4000, ACL_MEMCPY_DEVICE_TO_DEVICE), ACL_SUCCESS);
    ASSERT_EQ(aclrtMemcpy(back.data(), 4000, b, 4000, ACL_MEMCPY_DEVICE_TO_HOST), ACL_SUCCESS);
    EXPECT_EQ(back, source);
    // Interior pointers inside a live allocation are valid when the range fits.
    int32_t value = 0;
    ASSERT_EQ(aclrtMemcpy(&value, 4, b + 400, 4, ACL_MEMCPY_DEFAULT), ACL_SUCCESS);
    EXPECT_EQ(value, 700);
    EXPECT_EQ(aclrtFree(a), ACL_SUCCESS);
    EXPECT_EQ(aclrtFree(b), ACL_SUCCESS);
}

TEST_F(MemoryTest, Memcpy_CountAboveDestMax_ReturnsInvalidParam) {
    std::vector<char> host(256);
    void* device = DeviceAlloc(256);
    EXPECT_EQ(aclrtMemcpy(device, 128, host.data(), 256, ACL_MEMCPY_HOST_TO_DEVICE), ACL_ERROR_INVALID_PARAM);
    EXPECT_NE(RecentError().find("destMax"), std::string::npos) << RecentError();
    EXPECT_EQ(aclrtFree(device), ACL_SUCCESS);
}

TEST_F(MemoryTest, Memcpy_PastAllocationEnd_ReturnsInvalidParam) {
    std::vector<char> host(256);
    char* device = static_cast<char*>(DeviceAlloc(256));
    EXPECT_EQ(aclrtMemcpy(device + 200, 256, host.data(), 100, ACL_MEMCPY_HOST_TO_DEVICE), ACL_ERROR_INVALID_PARAM);
    EXPECT_NE(RecentError().find("past the end"), std::string::npos) << RecentError();
    EXPECT_EQ(aclrtMemcpy(host.data(), 256, device + 100, 200, ACL_MEMCPY_DEVICE_TO_HOST), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtFree(device), ACL_SUCCESS);
}

TEST_F(MemoryTest, Memcpy_WrongKind_ReturnsInvalidParam) {
    std::vector<char> host(64), other(64);
    void* device = DeviceAlloc(64);
    EXPECT_EQ(aclrtMemcpy(other.data(), 64, host.data(), 64, ACL_MEMCPY_HOST_TO_DEVICE), ACL_ERROR_INVALID_PARAM);
    EXPECT_NE(RecentError().find("dst"), std::string::npos);
    EXPECT_NE(RecentError().find("not inside a live device allocation"), std::string::npos) << RecentError();
    EXPECT_EQ(aclrtMemcpy(device, 64, host.data(), 64, ACL_MEMCPY_DEVICE_TO_HOST), ACL_ERROR_INVALID_PARAM);
    EXPECT_NE(RecentError().find("is device memory"), std::string::npos) << RecentError();
    EXPECT_EQ(aclrtMemcpy(device, 64, host.data(), 64, static_cast<aclrtMemcpyKind>(42)), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtFree(device), ACL_SUCCESS);
}

TEST_F(MemoryTest, Memcpy_FromFreedMemory_ReturnsInvalidParam) {
    std::vector<char> host(64);
    void* device = DeviceAlloc(64);
    ASSERT_EQ(aclrtFree(device), ACL_SUCCESS);
    EXPECT_EQ(aclrtMemcpy(host.data(), 64, device, 64, ACL_MEMCPY_DEVICE_TO_HOST), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtMemcpy(host.data(), 64, nullptr, 64, ACL_MEMCPY_DEVICE_TO_HOST), ACL_ERROR_INVALID_PARAM);
}

TEST_F(MemoryTest, Memset_FillsAndChecksRange) {
    unsigned char* device = static_cast<unsigned char*>(DeviceAlloc(100));
    ASSERT_EQ(aclrtMemset(device, 100, 0xAB, 100), ACL_SUCCESS);
    std::vector<unsigned char> host(100);
    ASSERT_EQ(aclrtMemcpy(host.data(), 100, device, 100, ACL_MEMCPY_DEVICE_TO_HOST), ACL_SUCCESS);
    EXPECT_EQ(host, std::vector<unsigned char>(100, 0xAB));
    EXPECT_EQ(aclrtMemset(device + 50, 100, 0, 100), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtMemset(device, 10, 0, 20), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtMemset(host.data(), 100, 0, 100), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtFree(device), ACL_SUCCESS);
}

TEST_F(MemoryTest, DataBuffer_DestroyedHandle_ReturnsInvalidParam) {
    void* device = DeviceAlloc(64);
    aclDataBuffer* buffer = aclCreateDataBuffer(device, 64);
    ASSERT_NE(buffer, nullptr);
    EXPECT_EQ(aclGetDataBufferAddr(buffer), device);
    EXPECT_EQ(aclGetDataBufferSizeV2(buffer), 64u);
    EXPECT_EQ(aclDestroyDataBuffer(buffer), ACL_SUCCESS);
    EXPECT_EQ(aclDestroyDataBuffer(buffer), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtFree(device), ACL_SUCCESS);
}
