// Model registry and aclmdlLoadFromFile/LoadFromMem/Unload/QuerySize.
#include "models.h"

#include <atomic>
#include <map>
#include <sys/stat.h>

#include "contexts.h"
#include "data_types.h"
#include "error_state.h"
#include "memory_registry.h"
#include "ort_env.h"
#include "runtime.h"

namespace aclcpu {
namespace {

std::mutex registryMutex;
std::map<uint32_t, std::shared_ptr<Model>> models;
std::atomic<uint32_t> nextModelId{1};

aclError DescribeTensors(const char* function, const std::string& source, Ort::Session& session, bool inputs,
                         std::vector<TensorInfo>& tensors) {
    const char* role = inputs ? "input" : "output";
    Ort::AllocatorWithDefaultOptions allocator;
    size_t count = inputs ? session.GetInputCount() : session.GetOutputCount();
    for (size_t i = 0; i < count; ++i) {
        TensorInfo tensor;
        tensor.name = (inputs ? session.GetInputNameAllocated(i, allocator) : session.GetOutputNameAllocated(i, allocator))
                          .get();
        Ort::TypeInfo typeInfo = inputs ? session.GetInputTypeInfo(i) : session.GetOutputTypeInfo(i);
        if (typeInfo.GetONNXType() != ONNX_TYPE_TENSOR) {
            return Failf(ACL_ERROR_UNSUPPORTED_DATA_TYPE, "%s: '%s': %s %zu '%s' is not a tensor", function,
                         source.c_str(), role, i, tensor.name.c_str());
        }
        auto shapeInfo = typeInfo.GetTensorTypeAndShapeInfo();
        tensor.onnxType = static_cast<int>(shapeInfo.GetElementType());
        tensor.type = FromOnnxElementType(tensor.onnxType);
        if (tensor.type == ACL_DT_UNDEFINED) {
            return Failf(ACL_ERROR_UNSUPPORTED_DATA_TYPE, "%s: '%s': %s '%s' has ONNX element type %d, which the CPU "
                         "device does not support", function, source.c_str(), role, tensor.name.c_str(), tensor.onnxType);
        }
        tensor.dims = shapeInfo.GetShape();
        if (tensor.dims.size() > ACL_MAX_DIM_CNT) {
            return Failf(ACL_ERROR_FEATURE_UNSUPPORTED, "%s: '%s': %s '%s' has rank %zu (at most %d)", function,
                         source.c_str(), role, tensor.name.c_str(), tensor.dims.size(), ACL_MAX_DIM_CNT);
        }
        size_t elements = 1;
        for (size_t d = 0; d < tensor.dims.size(); ++d) {
            if (tensor.dims[d] < 0) {
                return Failf(ACL_ERROR_FEATURE_UNSUPPORTED, "%s: '%s': %s '%s' has a dynamic dimension %zu; the device "
                             "runs static-shape graphs only (export fixed shapes, one graph per gear)", function,
                             source.c_str(), role, tensor.name.c_str(), d);
            }
            elements *= static_cast<size_t>(tensor.dims[d]);
        }
        tensor.bytes = elements * ElementSize(tensor.type);
        tensors.push_back(std::move(tensor));
    }
    return ACL_SUCCESS;
}

// Shared tail of both loaders: charge the weights, build the session, describe it, register it.
template <typename MakeSession>
aclError LoadModel(const char* function, const std::string& source, uint64_t weightBytes, uint32_t* modelId,
                   MakeSession makeSession) {
    std::shared_ptr<Context> context;
    aclError status = RequireContext(function, context);
    if (status != ACL_SUCCESS) return status;
    status = ReserveDeviceBytes(function, context->device, weightBytes);
    if (status != ACL_SUCCESS) return status;
    std::unique_ptr<Ort::Session> session;
    ModelInfo info;
    try {
        session = makeSession();
        status = DescribeTensors(function, source, *session, true, info.inputs);
        if (status == ACL_SUCCESS) status = DescribeTensors(function, source, *session, false, info.outputs);
    } catch (const Ort::Exception& e) {
        status = Failf(ACL_ERROR_PARSE_MODEL, "%s: '%s' could not be loaded by ONNX Runtime: %s", function,
                       source.c_str(), e.what());
    } catch (...) {
        ReleaseDeviceBytes(context->device, weightBytes);
        throw;
    }
    if (status != ACL_SUCCESS) {
        ReleaseDeviceBytes(context->device, weightBytes);
        return status;
    }
    uint32_t id = nextModelId++;
    auto model = std::make_shared<Model>(id, source, context->device, weightBytes, std::move(session), std::move(info));
    std::lock_guard<std::mutex> lock(registryMutex);
    models[id] = model;
    *modelId = id;
    return ACL_SUCCESS;
}

aclError StatModelFile(const char* function, const char* path, uint64_t& size) {
    if (path == nullptr || path[0] == '\0') return Failf(ACL_ERROR_INVALID_PARAM, "%s: the model path is empty", function);
    struct stat info;
    if (stat(path, &info) != 0 || !S_ISREG(info.st_mode)) {
        return Failf(ACL_ERROR_READ_MODEL_FAILURE, "%s: '%s' does not exist or is not a regular file", function, path);
    }
    size = static_cast<uint64_t>(info.st_size);
    return ACL_SUCCESS;
}

}  // namespace

aclError FindModel(const char* function, uint32_t modelId, std::shared_ptr<Model>& model) {
    aclError status = RequireInit(function);
    if (status != ACL_SUCCESS) return status;
    std::lock_guard<std::mutex> lock(registryMutex);
    auto it = models.find(modelId);
    if (it == models.end()) {
        return Failf(ACL_ERROR_INVALID_MODEL_ID, "%s: model id %u is not loaded", function, modelId);
    }
    model = it->second;
    return ACL_SUCCESS;
}

void ShutdownModels() {
    std::map<uint32_t, std::shared_ptr<Model>> doomed;
    std::lock_guard<std::mutex> lock(registryMutex);
    doomed.swap(models);
}

}  // namespace aclcpu

using namespace aclcpu;

// Weights are charged at the file's size; external-data files beside the model are read by ORT as usual.
extern "C" aclError aclmdlLoadFromFile(const char* modelPath, uint32_t* modelId) {
    return Guarded("aclmdlLoadFromFile", [&]() -> aclError {
        if (modelId == nullptr) return Fail(ACL_ERROR_INVALID_PARAM, "aclmdlLoadFromFile: modelId must not be NULL");
        aclError status = RequireInit("aclmdlLoadFromFile");
        uint64_t size = 0;
        if (status == ACL_SUCCESS) status = StatModelFile("aclmdlLoadFromFile", modelPath, size);
        if (status != ACL_SUCCESS) return status;
        std::string path(modelPath);
        return LoadModel("aclmdlLoadFromFile", path, size, modelId, [&] {
            return std::make_unique<Ort::Session>(SharedOrtEnv(), path.c_str(), MakeSessionOptions());
        });
    });
}

extern "C" aclError aclmdlLoadFromMem(const void* model, size_t modelSize, uint32_t* modelId) {
    return Guarded("aclmdlLoadFromMem", [&]() -> aclError {
        if (model == nullptr || modelSize == 0 || modelId == nullptr) {
            return Fail(ACL_ERROR_INVALID_PARAM, "aclmdlLoadFromMem: model, modelSize and modelId must be non-zero");
        }
        return LoadModel("aclmdlLoadFromMem", "<memory>", modelSize, modelId, [&] {
            return std::make_unique<Ort::Session>(SharedOrtEnv(), model, modelSize, MakeSessionOptions());
        });
    });
}

// Executions already queued on streams keep the session alive until they finish.
extern "C" aclError aclmdlUnload(uint32_t modelId) {
    return Guarded("aclmdlUnload", [&]() -> aclError {
        aclError status = RequireInit("aclmdlUnload");
        if (status != ACL_SUCCESS) return status;
        std::shared_ptr<Model> doomed;
        {
            std::lock_guard<std::mutex> lock(registryMutex);
            auto it = models.find(modelId);
            if (it == models.end()) {
                return Failf(ACL_ERROR_INVALID_MODEL_ID, "aclmdlUnload: model id %u is not loaded", modelId);
            }
            doomed = std::move(it->second);
            models.erase(it);
        }
        return ACL_SUCCESS;
    });
}

// The weight size is the file size; ONNX Runtime manages its own working memory, so workSize is 0.
extern "C" aclError aclmdlQuerySize(const char* fileName, size_t* workSize, size_t* weightSize) {
    return Guarded("aclmdlQuerySize", [&]() -> aclError {
        if (workSize == nullptr || weightSize == nullptr) {
            return Fail(ACL_ERROR_INVALID_PARAM, "aclmdlQuerySize: workSize and weightSize must not be NULL");
        }
        uint64_t size = 0;
        aclError status = StatModelFile("aclmdlQuerySize", fileName, size);
        if (status != ACL_SUCCESS) return status;
        *workSize = 0;
        *weightSize = static_cast<size_t>(size);
        return ACL_SUCCESS;
    });
}
