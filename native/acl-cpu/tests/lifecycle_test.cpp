#include <thread>

#include "acl_test.h"
#include "onnx_builder.h"

TEST(Lifecycle, Init_Twice_ReturnsRepeatInitialize) {
    ASSERT_EQ(aclInit(nullptr), ACL_SUCCESS);
    EXPECT_EQ(aclInit(nullptr), ACL_ERROR_REPEAT_INITIALIZE);
    EXPECT_NE(RecentError().find("already initialized"), std::string::npos);
    EXPECT_EQ(aclFinalize(), ACL_SUCCESS);
}

TEST(Lifecycle, Finalize_Twice_ReturnsRepeatFinalize) {
    ASSERT_EQ(aclInit(nullptr), ACL_SUCCESS);
    ASSERT_EQ(aclFinalize(), ACL_SUCCESS);
    EXPECT_EQ(aclFinalize(), ACL_ERROR_REPEAT_FINALIZE);
}

TEST(Lifecycle, Calls_BeforeInit_ReturnUninitialize) {
    void* pointer = nullptr;
    uint32_t model = 0;
    EXPECT_EQ(aclrtSetDevice(0), ACL_ERROR_UNINITIALIZE);
    EXPECT_EQ(aclrtMalloc(&pointer, 64, ACL_MEM_MALLOC_HUGE_FIRST), ACL_ERROR_UNINITIALIZE);
    EXPECT_EQ(aclmdlLoadFromFile("/nonexistent.onnx", &model), ACL_ERROR_UNINITIALIZE);
    EXPECT_NE(RecentError().find("aclInit"), std::string::npos);
}

TEST(Lifecycle, Config_SetsDeviceCountAndCapacity) {
    std::string path = TestDirectory() + "/acl.json";
    ASSERT_TRUE(onnxbuild::WriteFile(
        path, R"({"dump": {}, "aio_cpu": {"device_count": 2, "device_memory_bytes": 1048576}})"));
    ASSERT_EQ(aclInit(path.c_str()), ACL_SUCCESS) << RecentError();
    uint32_t count = 0;
    EXPECT_EQ(aclrtGetDeviceCount(&count), ACL_SUCCESS);
    EXPECT_EQ(count, 2u);
    EXPECT_EQ(aclrtSetDevice(2), ACL_ERROR_RT_INVALID_DEVICEID);
    ASSERT_EQ(aclrtSetDevice(1), ACL_SUCCESS);
    int32_t device = -1;
    EXPECT_EQ(aclrtGetDevice(&device), ACL_SUCCESS);
    EXPECT_EQ(device, 1);
    size_t free = 0, total = 0;
    EXPECT_EQ(aclrtGetMemInfo(ACL_HBM_MEM, &free, &total), ACL_SUCCESS);
    EXPECT_EQ(total, 1048576u);
    void* pointer = nullptr;
    EXPECT_EQ(aclrtMalloc(&pointer, 2 << 20, ACL_MEM_MALLOC_HUGE_FIRST), ACL_ERROR_RT_MEMORY_ALLOCATION);
    EXPECT_NE(RecentError().find("free"), std::string::npos);
    EXPECT_EQ(aclrtResetDevice(1), ACL_SUCCESS);
    EXPECT_EQ(aclFinalize(), ACL_SUCCESS);
}

TEST(Lifecycle, Config_WithInvalidJson_ReturnsParseFile) {
    std::string path = TestDirectory() + "/bad.json";
    ASSERT_TRUE(onnxbuild::WriteFile(path, "{\"aio_cpu\": {\"device_count\": }"));
    EXPECT_EQ(aclInit(path.c_str()), ACL_ERROR_PARSE_FILE);
    EXPECT_NE(RecentError().find("line 1"), std::string::npos) << RecentError();
    ASSERT_EQ(aclInit(nullptr), ACL_SUCCESS);  // a failed init leaves the runtime uninitialized
    EXPECT_EQ(aclFinalize(), ACL_SUCCESS);
}

TEST(Lifecycle, Config_MissingFile_ReturnsInvalidFile) {
    EXPECT_EQ(aclInit("/nonexistent/acl.json"), ACL_ERROR_INVALID_FILE);
}

TEST(Lifecycle, Finalize_FreesAllocations) {
    ASSERT_EQ(aclInit(nullptr), ACL_SUCCESS);
    ASSERT_EQ(aclrtSetDevice(0), ACL_SUCCESS);
    void* pointer = nullptr;
    ASSERT_EQ(aclrtMalloc(&pointer, 1 << 20, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
    ASSERT_EQ(aclFinalize(), ACL_SUCCESS);
    ASSERT_EQ(aclInit(nullptr), ACL_SUCCESS);
    ASSERT_EQ(aclrtSetDevice(0), ACL_SUCCESS);
    size_t free = 0, total = 0;
    EXPECT_EQ(aclrtGetMemInfo(ACL_HBM_MEM, &free, &total), ACL_SUCCESS);
    EXPECT_EQ(free, total);
    EXPECT_EQ(aclrtFree(pointer), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtResetDevice(0), ACL_SUCCESS);
    EXPECT_EQ(aclFinalize(), ACL_SUCCESS);
}

TEST_F(AclTest, RunMode_IsHost) {
    aclrtRunMode mode = ACL_DEVICE;
    EXPECT_EQ(aclrtGetRunMode(&mode), ACL_SUCCESS);
    EXPECT_EQ(mode, ACL_HOST);
    EXPECT_STREQ(aclrtGetSocName(), "AioCPU");
}

TEST_F(AclTest, GetMemInfo_ReflectsLiveAllocations) {
    size_t free0 = 0, total = 0, free1 = 0, free2 = 0;
    ASSERT_EQ(aclrtGetMemInfo(ACL_HBM_MEM, &free0, &total), ACL_SUCCESS);
    EXPECT_EQ(total, 64ull << 30);
    void* pointer = DeviceAlloc(1000);
    ASSERT_EQ(aclrtGetMemInfo(ACL_HBM_MEM, &free1, &total), ACL_SUCCESS);
    EXPECT_EQ(free0 - free1, 1000u);
    ASSERT_EQ(aclrtFree(pointer), ACL_SUCCESS);
    ASSERT_EQ(aclrtGetMemInfo(ACL_HBM_MEM, &free2, &total), ACL_SUCCESS);
    EXPECT_EQ(free2, free0);
}

TEST_F(AclTest, Thread_WithoutContext_ReturnsContextNull_UntilContextIsSet) {
    aclrtContext context = nullptr;
    ASSERT_EQ(aclrtGetCurrentContext(&context), ACL_SUCCESS);
    aclError before = ACL_SUCCESS, after = ACL_ERROR_FAILURE;
    void* pointer = nullptr;
    std::thread worker([&] {
        before = aclrtMalloc(&pointer, 64, ACL_MEM_MALLOC_HUGE_FIRST);
        if (aclrtSetCurrentContext(context) == ACL_SUCCESS) after = aclrtMalloc(&pointer, 64, ACL_MEM_MALLOC_HUGE_FIRST);
    });
    worker.join();
    EXPECT_EQ(before, ACL_ERROR_RT_CONTEXT_NULL);
    EXPECT_EQ(after, ACL_SUCCESS);
    EXPECT_EQ(aclrtFree(pointer), ACL_SUCCESS);
}

TEST_F(AclTest, Contexts_CreateSetDestroy) {
    aclrtContext defaultContext = nullptr, created = nullptr, current = nullptr;
    ASSERT_EQ(aclrtGetCurrentContext(&defaultContext), ACL_SUCCESS);
    ASSERT_EQ(aclrtCreateContext(&created, 0), ACL_SUCCESS);
    ASSERT_EQ(aclrtGetCurrentContext(&current), ACL_SUCCESS);
    EXPECT_EQ(current, created);
    EXPECT_EQ(aclrtDestroyContext(defaultContext), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtDestroyContext(created), ACL_SUCCESS);
    EXPECT_EQ(aclrtGetCurrentContext(&current), ACL_ERROR_RT_CONTEXT_NULL);
    EXPECT_EQ(aclrtSetCurrentContext(created), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclrtSetCurrentContext(defaultContext), ACL_SUCCESS);
}

TEST_F(AclTest, ResetDevice_NotSet_ReturnsInvalidDevice) {
    EXPECT_EQ(aclrtResetDevice(0), ACL_SUCCESS);
    EXPECT_EQ(aclrtResetDevice(0), ACL_ERROR_RT_INVALID_DEVICEID);
    ASSERT_EQ(aclrtSetDevice(0), ACL_SUCCESS);  // for TearDown
}

TEST_F(AclTest, Float16_RoundTrips) {
    EXPECT_EQ(aclFloatToFloat16(1.0f), 0x3C00);
    EXPECT_EQ(aclFloatToFloat16(-2.5f), 0xC100);
    EXPECT_FLOAT_EQ(aclFloat16ToFloat(0x3555), 0.333251953125f);
    EXPECT_EQ(aclDataTypeSize(ACL_BF16), 2u);
    EXPECT_EQ(aclDataTypeSize(ACL_INT64), 8u);
}
