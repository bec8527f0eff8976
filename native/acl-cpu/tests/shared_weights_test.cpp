// Graphs that share one external weight file (a bundle's weights.bin): the file is mapped once, charged to the
// device once however many graphs reference it, and the charge goes when the last of them is unloaded.
#include <sys/stat.h>

#include <string>
#include <vector>

#include "acl_test.h"
#include "onnx_builder.h"

namespace {

class SharedWeightsTest : public AclTest {
protected:
    void SetUp() override {
        AclTest::SetUp();
        directory_ = TestDirectory();
        ASSERT_TRUE(onnxbuild::WriteFile(directory_ + "/weights.bin", onnxbuild::MatMulAddWeightsFile()));
        for (const char* name : {"a.onnx", "b.onnx"}) {
            ASSERT_TRUE(onnxbuild::WriteFile(directory_ + "/" + name, onnxbuild::MatMulAddExternalModel("weights.bin")));
        }
    }

    size_t Used() {
        size_t free = 0, total = 0;
        EXPECT_EQ(aclrtGetMemInfo(ACL_HBM_MEM, &free, &total), ACL_SUCCESS);
        return total - free;
    }

    static size_t FileSize(const std::string& path) {
        struct stat info;
        return stat(path.c_str(), &info) == 0 ? static_cast<size_t>(info.st_size) : 0;
    }

    uint32_t Load(const std::string& path) {
        uint32_t id = 0;
        EXPECT_EQ(aclmdlLoadFromFile(path.c_str(), &id), ACL_SUCCESS) << RecentError();
        return id;
    }

    // y = x @ W + b for x = [[1, 2, 3], [4, 5, 6]] through model `id`.
    std::vector<float> Run(uint32_t id) {
        const float x[6] = {1, 2, 3, 4, 5, 6};
        void *input = nullptr, *output = nullptr;
        EXPECT_EQ(aclrtMalloc(&input, sizeof(x), ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
        EXPECT_EQ(aclrtMalloc(&output, 8 * sizeof(float), ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
        EXPECT_EQ(aclrtMemcpy(input, sizeof(x), x, sizeof(x), ACL_MEMCPY_HOST_TO_DEVICE), ACL_SUCCESS);
        aclmdlDataset* in = aclmdlCreateDataset();
        aclmdlDataset* out = aclmdlCreateDataset();
        aclDataBuffer* inBuffer = aclCreateDataBuffer(input, sizeof(x));
        aclDataBuffer* outBuffer = aclCreateDataBuffer(output, 8 * sizeof(float));
        aclmdlAddDatasetBuffer(in, inBuffer);
        aclmdlAddDatasetBuffer(out, outBuffer);
        EXPECT_EQ(aclmdlExecute(id, in, out), ACL_SUCCESS) << RecentError();
        std::vector<float> y(8, 0.0f);
        EXPECT_EQ(aclrtMemcpy(y.data(), 32, output, 32, ACL_MEMCPY_DEVICE_TO_HOST), ACL_SUCCESS);
        aclDestroyDataBuffer(inBuffer);
        aclDestroyDataBuffer(outBuffer);
        aclmdlDestroyDataset(in);
        aclmdlDestroyDataset(out);
        aclrtFree(input);
        aclrtFree(output);
        return y;
    }

    std::string directory_;
};

// y[r][j] = j / 10 + sum_i x[r][i] * (i + j) for x = [[1, 2, 3], [4, 5, 6]].
const std::vector<float> kExpected = {8.0f, 14.1f, 20.2f, 26.3f, 17.0f, 32.1f, 47.2f, 62.3f};

void ExpectNear(const std::vector<float>& actual) {
    ASSERT_EQ(actual.size(), kExpected.size());
    for (size_t i = 0; i < actual.size(); ++i) EXPECT_NEAR(actual[i], kExpected[i], 1e-4f) << i;
}

}  // namespace

TEST_F(SharedWeightsTest, GraphsOverOneWeightFile_ComputeFromItAndEachPaysForTheWeightsAsOnCann) {
    size_t weights = FileSize(directory_ + "/weights.bin");
    size_t graph = FileSize(directory_ + "/a.onnx");
    size_t before = Used();
    uint32_t a = Load(directory_ + "/a.onnx");
    EXPECT_EQ(Used() - before, graph + weights);
    uint32_t b = Load(directory_ + "/b.onnx");
    EXPECT_EQ(Used() - before, 2 * (graph + weights));  // CANN gives each loaded model its own weight memory
    ExpectNear(Run(a));
    ExpectNear(Run(b));

    ASSERT_EQ(aclmdlUnload(a), ACL_SUCCESS);
    EXPECT_EQ(Used() - before, graph + weights);
    ExpectNear(Run(b));
    ASSERT_EQ(aclmdlUnload(b), ACL_SUCCESS);
    EXPECT_EQ(Used(), before);
}

TEST_F(SharedWeightsTest, WeightFileReachedThroughAnotherPathSpelling_IsMappedOnceAndChargedPerModel) {
    size_t before = Used();
    uint32_t a = Load(directory_ + "/a.onnx");
    uint32_t b = Load(directory_ + "/./b.onnx");  // "<dir>/./weights.bin" is the same file
    EXPECT_EQ(Used() - before, FileSize(directory_ + "/a.onnx") + FileSize(directory_ + "/b.onnx") +
                                   2 * FileSize(directory_ + "/weights.bin"));
    ExpectNear(Run(b));
    EXPECT_EQ(aclmdlUnload(a), ACL_SUCCESS);
    EXPECT_EQ(aclmdlUnload(b), ACL_SUCCESS);
    EXPECT_EQ(Used(), before);
}

TEST_F(SharedWeightsTest, QuerySize_CountsGraphAndWeightFile) {
    size_t work = 1, weight = 0;
    ASSERT_EQ(aclmdlQuerySize((directory_ + "/a.onnx").c_str(), &work, &weight), ACL_SUCCESS) << RecentError();
    EXPECT_EQ(work, 0u);
    EXPECT_EQ(weight, FileSize(directory_ + "/a.onnx") + FileSize(directory_ + "/weights.bin"));
}

TEST_F(SharedWeightsTest, Load_MissingWeightFile_ReturnsReadModelFailureNamingIt) {
    ASSERT_TRUE(onnxbuild::WriteFile(directory_ + "/lost.onnx", onnxbuild::MatMulAddExternalModel("missing.bin")));
    size_t before = Used();
    uint32_t id = 0;
    EXPECT_EQ(aclmdlLoadFromFile((directory_ + "/lost.onnx").c_str(), &id), ACL_ERROR_READ_MODEL_FAILURE);
    EXPECT_NE(RecentError().find("missing.bin"), std::string::npos) << RecentError();
    EXPECT_EQ(Used(), before);
}

TEST_F(SharedWeightsTest, Load_TensorBeyondTheWeightFile_ReturnsParseModel) {
    ASSERT_TRUE(onnxbuild::WriteFile(directory_ + "/short.bin", std::string(16, '\0')));
    ASSERT_TRUE(onnxbuild::WriteFile(directory_ + "/short.onnx", onnxbuild::MatMulAddExternalModel("short.bin")));
    size_t before = Used();
    uint32_t id = 0;
    EXPECT_EQ(aclmdlLoadFromFile((directory_ + "/short.onnx").c_str(), &id), ACL_ERROR_PARSE_MODEL);
    EXPECT_NE(RecentError().find("'W'"), std::string::npos) << RecentError();
    EXPECT_EQ(Used(), before);
}
