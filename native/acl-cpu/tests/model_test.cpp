#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "acl_test.h"
#include "onnx_builder.h"

namespace {

// Device buffers wrapped in a dataset, freed by the destructor.
class DeviceDataset {
public:
    explicit DeviceDataset(const std::vector<size_t>& sizes) : dataset_(aclmdlCreateDataset()) {
        for (size_t size : sizes) {
            void* pointer = nullptr;
            EXPECT_EQ(aclrtMalloc(&pointer, size, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
            aclDataBuffer* buffer = aclCreateDataBuffer(pointer, size);
            EXPECT_EQ(aclmdlAddDatasetBuffer(dataset_, buffer), ACL_SUCCESS);
            pointers_.push_back(pointer);
            buffers_.push_back(buffer);
        }
    }
    ~DeviceDataset() {
        for (size_t i = 0; i < buffers_.size(); ++i) {
            if (pointers_[i] != nullptr) aclrtFree(pointers_[i]);
            aclDestroyDataBuffer(buffers_[i]);
        }
        aclmdlDestroyDataset(dataset_);
    }
    aclmdlDataset* Get() const { return dataset_; }
    void* Pointer(size_t i) const { return pointers_[i]; }
    void FreeMemory(size_t i) {
        EXPECT_EQ(aclrtFree(pointers_[i]), ACL_SUCCESS);
        pointers_[i] = nullptr;
    }

private:
    aclmdlDataset* dataset_;
    std::vector<void*> pointers_;
    std::vector<aclDataBuffer*> buffers_;
};

// Reference for MatMulAddModel: y = x @ W + b, W[i][j] = i + j, b[j] = j / 10.
std::vector<float> ExpectedMatMulAdd(const std::vector<float>& x) {
    std::vector<float> y(8);
    for (int r = 0; r < 2; ++r) {
        for (int j = 0; j < 4; ++j) {
            float sum = static_cast<float>(j) / 10.0f;
            for (int i = 0; i < 3; ++i) sum += x[r * 3 + i] * static_cast<float>(i + j);
            y[r * 4 + j] = sum;
        }
    }
    return y;
}

class ModelTest : public AclTest {
protected:
    void SetUp() override {
        AclTest::SetUp();
        path_ = TestDirectory() + "/matmul_add.onnx";
        ASSERT_TRUE(onnxbuild::WriteFile(path_, onnxbuild::MatMulAddModel()));
        ASSERT_EQ(aclmdlLoadFromFile(path_.c_str(), &modelId_), ACL_SUCCESS) << RecentError();
    }
    void TearDown() override {
        EXPECT_EQ(aclmdlUnload(modelId_), ACL_SUCCESS);
        AclTest::TearDown();
    }

    std::vector<float> Run(const std::vector<float>& x, aclrtStream stream, bool async) {
        DeviceDataset input({24}), output({32});
        EXPECT_EQ(aclrtMemcpy(input.Pointer(0), 24, x.data(), 24, ACL_MEMCPY_HOST_TO_DEVICE), ACL_SUCCESS);
        if (async) {
            EXPECT_EQ(aclmdlExecuteAsync(modelId_, input.Get(), output.Get(), stream), ACL_SUCCESS) << RecentError();
            EXPECT_EQ(aclrtSynchronizeStream(stream), ACL_SUCCESS) << RecentError();
        } else {
            EXPECT_EQ(aclmdlExecute(modelId_, input.Get(), output.Get()), ACL_SUCCESS) << RecentError();
        }
        std::vector<float> y(8, 0.0f);
        EXPECT_EQ(aclrtMemcpy(y.data(), 32, output.Pointer(0), 32, ACL_MEMCPY_DEVICE_TO_HOST), ACL_SUCCESS);
        return y;
    }

    std::string path_;
    uint32_t modelId_ = 0;
};

}  // namespace

TEST_F(ModelTest, Desc_DescribesGraphInputsAndOutputs) {
    aclmdlDesc* desc = aclmdlCreateDesc();
    ASSERT_EQ(aclmdlGetDesc(desc, modelId_), ACL_SUCCESS);
    ASSERT_EQ(aclmdlGetNumInputs(desc), 1u);
    ASSERT_EQ(aclmdlGetNumOutputs(desc), 1u);
    EXPECT_STREQ(aclmdlGetInputNameByIndex(desc, 0), "x");
    // CANN's form for an ONNX model's outputs: producer op name, output index, output name (aclcppdevg_03_1457).
    EXPECT_STREQ(aclmdlGetOutputNameByIndex(desc, 0), "Add_y:0:y");
    EXPECT_EQ(aclmdlGetInputSizeByIndex(desc, 0), 24u);
    EXPECT_EQ(aclmdlGetOutputSizeByIndex(desc, 0), 32u);
    EXPECT_EQ(aclmdlGetInputDataType(desc, 0), ACL_FLOAT);
    EXPECT_EQ(aclmdlGetInputFormat(desc, 0), ACL_FORMAT_ND);
    aclmdlIODims dims;
    ASSERT_EQ(aclmdlGetOutputDims(desc, 0, &dims), ACL_SUCCESS);
    EXPECT_STREQ(dims.name, "Add_y:0:y");
    ASSERT_EQ(dims.dimCount, 2u);
    EXPECT_EQ(dims.dims[0], 2);
    EXPECT_EQ(dims.dims[1], 4);
    size_t index = 99;
    EXPECT_EQ(aclmdlGetInputIndexByName(desc, "x", &index), ACL_SUCCESS);
    EXPECT_EQ(index, 0u);
    EXPECT_EQ(aclmdlGetOutputIndexByName(desc, "nope", &index), ACL_ERROR_INVALID_PARAM);
    EXPECT_EQ(aclmdlGetInputSizeByIndex(desc, 5), 0u);
    EXPECT_EQ(aclmdlGetInputDims(desc, 5, &dims), ACL_ERROR_INVALID_PARAM);
    size_t gears = 7;
    EXPECT_EQ(aclmdlGetInputDynamicGearCount(desc, static_cast<size_t>(-1), &gears), ACL_SUCCESS);
    EXPECT_EQ(gears, 0u);
    EXPECT_EQ(aclmdlDestroyDesc(desc), ACL_SUCCESS);
}

TEST_F(ModelTest, Execute_MatMulAdd_ComputesReference) {
    std::vector<float> x = {1, 2, 3, 4, 5, 6};
    EXPECT_EQ(Run(x, nullptr, false), ExpectedMatMulAdd(x));
}

TEST_F(ModelTest, ExecuteAsync_OnStream_ComputesReference) {
    aclrtStream stream = nullptr;
    ASSERT_EQ(aclrtCreateStream(&stream), ACL_SUCCESS);
    std::vector<float> x = {-1, 0.5f, 2, 3, -4, 0};
    EXPECT_EQ(Run(x, stream, true), ExpectedMatMulAdd(x));
    EXPECT_EQ(aclrtDestroyStream(stream), ACL_SUCCESS);
}

TEST_F(ModelTest, Execute_FromSeveralThreads_GivesEachItsOwnResult) {
    aclrtContext context = nullptr;
    ASSERT_EQ(aclrtGetCurrentContext(&context), ACL_SUCCESS);
    std::vector<std::thread> threads;
    std::vector<int> failures(4, 0);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            aclrtSetCurrentContext(context);
            for (int i = 0; i < 25; ++i) {
                std::vector<float> x = {float(t), float(i), 1, 2, 3, float(t * i)};
                if (Run(x, nullptr, false) != ExpectedMatMulAdd(x)) ++failures[t];
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures, std::vector<int>(4, 0));
}

TEST_F(ModelTest, Execute_WithTooSmallBuffer_ReturnsInvalidParam) {
    DeviceDataset input({16}), output({32});
    EXPECT_EQ(aclmdlExecute(modelId_, input.Get(), output.Get()), ACL_ERROR_INVALID_PARAM);
    EXPECT_NE(RecentError().find("'x' needs 24 bytes"), std::string::npos) << RecentError();
}

TEST_F(ModelTest, Execute_WithFreedBuffer_ReturnsInvalidParam) {
    DeviceDataset input({24}), output({32});
    output.FreeMemory(0);
    EXPECT_EQ(aclmdlExecute(modelId_, input.Get(), output.Get()), ACL_ERROR_INVALID_PARAM);
    EXPECT_NE(RecentError().find("not inside a live device allocation"), std::string::npos) << RecentError();
}

TEST_F(ModelTest, Execute_WithWrongBufferCount_ReturnsInvalidParam) {
    DeviceDataset input({24, 24}), output({32});
    EXPECT_EQ(aclmdlExecute(modelId_, input.Get(), output.Get()), ACL_ERROR_INVALID_PARAM);
    EXPECT_NE(RecentError().find("holds 2 buffers"), std::string::npos) << RecentError();
    EXPECT_EQ(aclmdlExecuteAsync(modelId_, input.Get(), output.Get(), nullptr), ACL_ERROR_INVALID_PARAM);
}

TEST_F(ModelTest, Execute_UnknownModel_ReturnsInvalidModelId) {
    DeviceDataset input({24}), output({32});
    EXPECT_EQ(aclmdlExecute(9999, input.Get(), output.Get()), ACL_ERROR_INVALID_MODEL_ID);
    EXPECT_EQ(aclmdlUnload(9999), ACL_ERROR_INVALID_MODEL_ID);
}

TEST_F(ModelTest, SetInputDynamicDims_OnStaticModel_ReturnsModelNotDynamic) {
    DeviceDataset input({24});
    aclmdlIODims dims = {};
    EXPECT_EQ(aclmdlSetInputDynamicDims(modelId_, input.Get(), 0, &dims), ACL_ERROR_MODEL_NOT_DYNAMIC);
}

TEST_F(ModelTest, LoadedWeights_CountAsUsedMemory) {
    size_t freeLoaded = 0, total = 0, freeAfter = 0, work = 1, weight = 0;
    ASSERT_EQ(aclmdlQuerySize(path_.c_str(), &work, &weight), ACL_SUCCESS);
    EXPECT_EQ(work, 0u);
    EXPECT_EQ(weight, onnxbuild::MatMulAddModel().size());
    ASSERT_EQ(aclrtGetMemInfo(ACL_HBM_MEM, &freeLoaded, &total), ACL_SUCCESS);
    EXPECT_EQ(total - freeLoaded, weight);
    uint32_t second = 0;
    std::string bytes = onnxbuild::MatMulAddModel();
    ASSERT_EQ(aclmdlLoadFromMem(bytes.data(), bytes.size(), &second), ACL_SUCCESS) << RecentError();
    EXPECT_GT(second, modelId_);
    ASSERT_EQ(aclmdlUnload(second), ACL_SUCCESS);
    EXPECT_EQ(aclmdlUnload(second), ACL_ERROR_INVALID_MODEL_ID);
    ASSERT_EQ(aclrtGetMemInfo(ACL_HBM_MEM, &freeAfter, &total), ACL_SUCCESS);
    EXPECT_EQ(freeAfter, freeLoaded);
}

TEST_F(ModelTest, Load_CorruptOrMissingFile_ReturnsErrorWithMessage) {
    std::string corrupt = TestDirectory() + "/corrupt.onnx";
    ASSERT_TRUE(onnxbuild::WriteFile(corrupt, "this is not a protobuf"));
    uint32_t id = 0;
    EXPECT_EQ(aclmdlLoadFromFile(corrupt.c_str(), &id), ACL_ERROR_PARSE_MODEL);
    EXPECT_NE(RecentError().find("corrupt.onnx"), std::string::npos) << RecentError();
    EXPECT_EQ(aclmdlLoadFromFile((corrupt + ".missing").c_str(), &id), ACL_ERROR_READ_MODEL_FAILURE);
    EXPECT_EQ(aclmdlLoadFromFile(nullptr, &id), ACL_ERROR_INVALID_PARAM);
}

TEST_F(ModelTest, Load_DynamicShapeGraph_ReturnsFeatureUnsupported) {
    std::string bytes = onnxbuild::DynamicAddModel();
    uint32_t id = 0;
    EXPECT_EQ(aclmdlLoadFromMem(bytes.data(), bytes.size(), &id), ACL_ERROR_FEATURE_UNSUPPORTED);
    EXPECT_NE(RecentError().find("dynamic dimension"), std::string::npos) << RecentError();
}

TEST_F(ModelTest, OrtRuntimeFailure_ReturnsGeFailure_SyncAndAtSynchronize) {
    std::string bytes = onnxbuild::ReshapeModel();
    uint32_t id = 0;
    ASSERT_EQ(aclmdlLoadFromMem(bytes.data(), bytes.size(), &id), ACL_SUCCESS) << RecentError();
    DeviceDataset input({16, 16}), output({16});
    int64_t badShape[2] = {3, 3};
    ASSERT_EQ(aclrtMemcpy(input.Pointer(1), 16, badShape, 16, ACL_MEMCPY_HOST_TO_DEVICE), ACL_SUCCESS);
    EXPECT_EQ(aclmdlExecute(id, input.Get(), output.Get()), ACL_ERROR_GE_FAILURE);
    EXPECT_NE(RecentError().find("ONNX Runtime failed"), std::string::npos) << RecentError();
    aclrtStream stream = nullptr;
    ASSERT_EQ(aclrtCreateStream(&stream), ACL_SUCCESS);
    EXPECT_EQ(aclmdlExecuteAsync(id, input.Get(), output.Get(), stream), ACL_SUCCESS);
    EXPECT_EQ(aclrtSynchronizeStream(stream), ACL_ERROR_GE_FAILURE);
    EXPECT_NE(RecentError().find("ONNX Runtime failed"), std::string::npos) << RecentError();
    EXPECT_EQ(aclrtSynchronizeStream(stream), ACL_SUCCESS);  // reported once
    EXPECT_EQ(aclrtDestroyStream(stream), ACL_SUCCESS);
    EXPECT_EQ(aclmdlUnload(id), ACL_SUCCESS);
}

TEST_F(ModelTest, Profiler_WritesChromeTraceOfExecutesAndCopies) {
    std::string directory = TestDirectory() + "/prof";
    ASSERT_EQ(aclprofInit(directory.c_str(), directory.size()), ACL_SUCCESS) << RecentError();
    uint32_t devices[1] = {0};
    aclprofConfig* config = aclprofCreateConfig(devices, 1, ACL_AICORE_NONE, nullptr, ACL_PROF_ACL_API | ACL_PROF_TASK_TIME);
    ASSERT_NE(config, nullptr) << RecentError();
    EXPECT_EQ(aclprofStop(config), ACL_ERROR_PROF_NOT_RUN);
    ASSERT_EQ(aclprofStart(config), ACL_SUCCESS);
    EXPECT_EQ(aclprofStart(config), ACL_ERROR_PROF_ALREADY_RUN);
    aclrtStream stream = nullptr;
    ASSERT_EQ(aclrtCreateStream(&stream), ACL_SUCCESS);
    std::vector<float> x = {1, 2, 3, 4, 5, 6};
    Run(x, nullptr, false);
    Run(x, stream, true);
    ASSERT_EQ(aclprofStop(config), ACL_SUCCESS) << RecentError();
    EXPECT_EQ(aclprofDestroyConfig(config), ACL_SUCCESS);
    EXPECT_EQ(aclprofFinalize(), ACL_SUCCESS);
    EXPECT_EQ(aclrtDestroyStream(stream), ACL_SUCCESS);

    std::ifstream file(directory + "/aio_timeline_" + std::to_string(getpid()) + ".json");
    ASSERT_TRUE(file.good());
    std::stringstream text;
    text << file.rdbuf();
    std::string trace = text.str();
    EXPECT_EQ(trace.rfind("{\"traceEvents\":[", 0), 0u);
    for (const char* expected : {"\"aclmdlExecute\"", "\"aclmdlExecuteAsync\"", "\"aclrtMemcpy\"",
                                 "\"aclrtSynchronizeStream\"", "\"ph\":\"X\"", "\"model_id\":", "matmul_add.onnx",
                                 "ACL_MEMCPY_HOST_TO_DEVICE"}) {
        EXPECT_NE(trace.find(expected), std::string::npos) << expected;
    }
}
