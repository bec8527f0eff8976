// Shared fixture: each test gets a freshly initialized runtime with device 0 set, torn down afterwards.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <unistd.h>

#include "acl/acl.h"
#include "acl/acl_prof.h"

inline std::string RecentError() {
    const char* message = aclGetRecentErrMsg();
    return message != nullptr ? message : "";
}

// A fresh directory for this test's files.
inline std::string TestDirectory() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string path = ::testing::TempDir() + "aclcpu_" + info->test_suite_name() + "_" + info->name() + "_" +
                       std::to_string(getpid());
    std::string command = "mkdir -p '" + path + "'";
    if (std::system(command.c_str()) != 0) ADD_FAILURE() << "cannot create " << path;
    return path;
}

class AclTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(aclInit(nullptr), ACL_SUCCESS) << RecentError();
        ASSERT_EQ(aclrtSetDevice(0), ACL_SUCCESS) << RecentError();
    }
    void TearDown() override {
        EXPECT_EQ(aclrtResetDevice(0), ACL_SUCCESS) << RecentError();
        EXPECT_EQ(aclFinalize(), ACL_SUCCESS) << RecentError();
    }

    void* DeviceAlloc(size_t size) {
        void* pointer = nullptr;
        EXPECT_EQ(aclrtMalloc(&pointer, size, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS) << RecentError();
        return pointer;
    }
};
