#include <cstdint>
#include <vector>

#include "acl_test.h"

using StreamTest = AclTest;

TEST_F(StreamTest, AsyncOps_RunInQueueOrder) {
    aclrtStream stream = nullptr;
    ASSERT_EQ(aclrtCreateStream(&stream), ACL_SUCCESS);
    unsigned char* device = static_cast<unsigned char*>(DeviceAlloc(64));
    std::vector<unsigned char> host(200, 0);
    // Each copy must observe the memset queued just before it.
    for (int i = 0; i < 200; ++i) {
        ASSERT_EQ(aclrtMemsetAsync(device, 64, i, 64, stream), ACL_SUCCESS);
        ASSERT_EQ(aclrtMemcpyAsync(&host[i], 1, device + 63, 1, ACL_MEMCPY_DEVICE_TO_HOST, stream), ACL_SUCCESS);
    }
    ASSERT_EQ(aclrtSynchronizeStream(stream), ACL_SUCCESS);
    for (int i = 0; i < 200; ++i) EXPECT_EQ(host[i], i);
    EXPECT_EQ(aclrtDestroyStream(stream), ACL_SUCCESS);
    EXPECT_EQ(aclrtFree(device), ACL_SUCCESS);
}

TEST_F(StreamTest, NullStream_IsTheContextDefaultStream) {
    int32_t value = 42, back = 0;
    void* device = DeviceAlloc(4);
    ASSERT_EQ(aclrtMemcpyAsync(device, 4, &value, 4, ACL_MEMCPY_HOST_TO_DEVICE, nullptr), ACL_SUCCESS);
    ASSERT_EQ(aclrtMemcpyAsync(&back, 4, device, 4, ACL_MEMCPY_DEVICE_TO_HOST, nullptr), ACL_SUCCESS);
    ASSERT_EQ(aclrtSynchronizeStream(nullptr), ACL_SUCCESS);
    EXPECT_EQ(back, 42);
    EXPECT_EQ(aclrtFree(device), ACL_SUCCESS);
}

TEST_F(StreamTest, AsyncCopy_WithBadArguments_FailsAtEnqueue) {
    aclrtStream stream = nullptr;
    ASSERT_EQ(aclrtCreateStream(&stream), ACL_SUCCESS);
    std::vector<char> host(64);
    void* device = DeviceAlloc(32);
    EXPECT_EQ(aclrtMemcpyAsync(device, 64, host.data(), 64, ACL_MEMCPY_HOST_TO_DEVICE, stream), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtSynchronizeStream(stream), ACL_SUCCESS);
    EXPECT_EQ(aclrtDestroyStream(stream), ACL_SUCCESS);
    EXPECT_EQ(aclrtFree(device), ACL_SUCCESS);
}

TEST_F(StreamTest, DestroyStream_DrainsQueuedWork) {
    aclrtStream stream = nullptr;
    ASSERT_EQ(aclrtCreateStream(&stream), ACL_SUCCESS);
    unsigned char* device = static_cast<unsigned char*>(DeviceAlloc(1 << 20));
    ASSERT_EQ(aclrtMemsetAsync(device, 1 << 20, 7, 1 << 20, stream), ACL_SUCCESS);
    ASSERT_EQ(aclrtDestroyStream(stream), ACL_SUCCESS);
    unsigned char last = 0;
    ASSERT_EQ(aclrtMemcpy(&last, 1, device + (1 << 20) - 1, 1, ACL_MEMCPY_DEVICE_TO_HOST), ACL_SUCCESS);
    EXPECT_EQ(last, 7);
    EXPECT_EQ(aclrtDestroyStream(stream), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtSynchronizeStream(stream), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtFree(device), ACL_SUCCESS);
}

TEST_F(StreamTest, SynchronizeDevice_WaitsForAllStreams) {
    aclrtStream streams[3];
    unsigned char* device = static_cast<unsigned char*>(DeviceAlloc(3));
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(aclrtCreateStream(&streams[i]), ACL_SUCCESS);
        ASSERT_EQ(aclrtMemsetAsync(device + i, 1, 10 + i, 1, streams[i]), ACL_SUCCESS);
    }
    ASSERT_EQ(aclrtSynchronizeDevice(), ACL_SUCCESS);
    unsigned char host[3] = {0, 0, 0};
    ASSERT_EQ(aclrtMemcpy(host, 3, device, 3, ACL_MEMCPY_DEVICE_TO_HOST), ACL_SUCCESS);
    EXPECT_EQ(host[0], 10);
    EXPECT_EQ(host[2], 12);
    for (auto stream : streams) EXPECT_EQ(aclrtDestroyStream(stream), ACL_SUCCESS);
    EXPECT_EQ(aclrtFree(device), ACL_SUCCESS);
}

using EventTest = AclTest;

TEST_F(EventTest, RecordedEvents_CompleteAndMeasureElapsedTime) {
    aclrtStream stream = nullptr;
    aclrtEvent start = nullptr, end = nullptr;
    ASSERT_EQ(aclrtCreateStream(&stream), ACL_SUCCESS);
    ASSERT_EQ(aclrtCreateEvent(&start), ACL_SUCCESS);
    ASSERT_EQ(aclrtCreateEvent(&end), ACL_SUCCESS);
    aclrtEventRecordedStatus status = ACL_EVENT_RECORDED_STATUS_COMPLETE;
    ASSERT_EQ(aclrtQueryEventStatus(start, &status), ACL_SUCCESS);
    EXPECT_EQ(status, ACL_EVENT_RECORDED_STATUS_NOT_READY);
    float ms = -1;
    EXPECT_EQ(aclrtEventElapsedTime(&ms, start, end), ACL_ERROR_RT_EVENT_TIMESTAMP_INVALID);

    void* device = DeviceAlloc(8 << 20);
    ASSERT_EQ(aclrtRecordEvent(start, stream), ACL_SUCCESS);
    ASSERT_EQ(aclrtMemsetAsync(device, 8 << 20, 1, 8 << 20, stream), ACL_SUCCESS);
    ASSERT_EQ(aclrtRecordEvent(end, stream), ACL_SUCCESS);
    ASSERT_EQ(aclrtSynchronizeEvent(end), ACL_SUCCESS);
    ASSERT_EQ(aclrtQueryEventStatus(end, &status), ACL_SUCCESS);
    EXPECT_EQ(status, ACL_EVENT_RECORDED_STATUS_COMPLETE);
    ASSERT_EQ(aclrtEventElapsedTime(&ms, start, end), ACL_SUCCESS) << RecentError();
    EXPECT_GE(ms, 0.0f);

    EXPECT_EQ(aclrtDestroyEvent(start), ACL_SUCCESS);
    EXPECT_EQ(aclrtDestroyEvent(start), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtSynchronizeEvent(start), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtDestroyEvent(end), ACL_SUCCESS);
    EXPECT_EQ(aclrtDestroyStream(stream), ACL_SUCCESS);
    EXPECT_EQ(aclrtFree(device), ACL_SUCCESS);
}

TEST_F(EventTest, StreamWaitEvent_OrdersWorkAcrossStreams) {
    aclrtStream producer = nullptr, consumer = nullptr;
    aclrtEvent ready = nullptr;
    ASSERT_EQ(aclrtCreateStream(&producer), ACL_SUCCESS);
    ASSERT_EQ(aclrtCreateStream(&consumer), ACL_SUCCESS);
    ASSERT_EQ(aclrtCreateEvent(&ready), ACL_SUCCESS);
    const size_t size = 16 << 20;
    unsigned char* device = static_cast<unsigned char*>(DeviceAlloc(size));
    ASSERT_EQ(aclrtMemset(device, size, 0, size), ACL_SUCCESS);
    ASSERT_EQ(aclrtMemsetAsync(device, size, 9, size, producer), ACL_SUCCESS);
    ASSERT_EQ(aclrtRecordEvent(ready, producer), ACL_SUCCESS);
    ASSERT_EQ(aclrtStreamWaitEvent(consumer, ready), ACL_SUCCESS);
    unsigned char last = 0;
    ASSERT_EQ(aclrtMemcpyAsync(&last, 1, device + size - 1, 1, ACL_MEMCPY_DEVICE_TO_HOST, consumer), ACL_SUCCESS);
    ASSERT_EQ(aclrtSynchronizeStream(consumer), ACL_SUCCESS);
    EXPECT_EQ(last, 9);
    EXPECT_EQ(aclrtDestroyEvent(ready), ACL_SUCCESS);
    EXPECT_EQ(aclrtDestroyStream(producer), ACL_SUCCESS);
    EXPECT_EQ(aclrtDestroyStream(consumer), ACL_SUCCESS);
    EXPECT_EQ(aclrtFree(device), ACL_SUCCESS);
}
