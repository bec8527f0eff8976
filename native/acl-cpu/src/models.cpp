// Model registry and aclmdlLoadFromFile/LoadFromMem/Unload/QuerySize.
#include "models.h"

#include <atomic>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sys/stat.h>

#include "contexts.h"
#include "data_types.h"
#include "dynamic_dims.h"
#include "error_state.h"
#include "memory_registry.h"
#include "ort_env.h"
#include "runtime.h"

namespace aclcpu {
namespace {

std::mutex registryMutex;
std::map<uint32_t, std::shared_ptr<Model>> models;
std::atomic<uint32_t> nextModelId{1};

// Names, types and shapes as ONNX Runtime reports them (-1 and a dim_param for symbolic dims; ReadDynamicDims
// settles those). Outputs are renamed "producer_node:out_index:name", the form CANN reports for an ONNX model's
// outputs (aclmdlGetOutputNameByIndex, CANN documentation aclcppdevg_03_1457).
aclError DescribeTensors(const char* function, const std::string& source, Ort::Session& session, bool inputs,
                         const std::map<std::string, std::string>& producers, std::vector<TensorInfo>& tensors) {
    const char* role = inputs ? "input" : "output";
    Ort::AllocatorWithDefaultOptions allocator;
    size_t count = inputs ? session.GetInputCount() : session.GetOutputCount();
    for (size_t i = 0; i < count; ++i) {
        TensorInfo tensor;
        tensor.ortName = (inputs ? session.GetInputNameAllocated(i, allocator) : session.GetOutputNameAllocated(i, allocator))
                             .get();
        auto producer = producers.find(tensor.ortName);
        tensor.name = !inputs && producer != producers.end() ? producer->second + ":" + tensor.ortName : tensor.ortName;
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
        std::vector<const char*> symbols(tensor.dims.size(), nullptr);
        shapeInfo.GetSymbolicDimensions(symbols.data(), symbols.size());
        size_t elements = 1;
        for (size_t d = 0; d < tensor.dims.size(); ++d) {
            tensor.symbols.emplace_back(tensor.dims[d] < 0 && symbols[d] != nullptr ? symbols[d] : "");
            if (tensor.dims[d] >= 0) elements *= static_cast<size_t>(tensor.dims[d]);
        }
        tensor.bytes = elements * ElementSize(tensor.type);  // a dynamic tensor's is set from its gears
        tensors.push_back(std::move(tensor));
    }
    return ACL_SUCCESS;
}

// The external-data files a graph's initializers live in, and the initializers ORT should take from them.
struct SharedWeights {
    std::vector<std::shared_ptr<WeightFile>> files;
    std::vector<std::pair<std::string, const OrtValue*>> values;
    std::map<std::string, std::string> producers;  // value name -> "node:index"
};

// The graph file's initializers that live in external files, the producers of its values, and the directory the
// external locations are relative to.
aclError ReadGraphExternals(const char* function, const std::string& path, std::vector<ExternalInitializer>& externals,
                            std::string& directory, std::map<std::string, std::string>* producers = nullptr) {
    std::ifstream stream(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
    if (!stream.good() && !stream.eof()) {
        return Failf(ACL_ERROR_READ_MODEL_FAILURE, "%s: '%s' cannot be read", function, path.c_str());
    }
    std::string error;
    if (!ReadExternalInitializers(bytes, externals, error) ||
        (producers != nullptr && !ReadValueProducers(bytes, *producers, error))) {
        return Failf(ACL_ERROR_PARSE_MODEL, "%s: '%s' is not a valid ONNX model: %s", function, path.c_str(), error.c_str());
    }
    size_t slash = path.find_last_of('/');
    directory = slash == std::string::npos ? "." : path.substr(0, slash);
    return ACL_SUCCESS;
}

// Maps the external-data files of a graph (once per process, see weight_files.h) and makes its tensors shareable.
aclError ResolveSharedWeights(const char* function, const std::string& path, SharedWeights& shared) {
    std::vector<ExternalInitializer> externals;
    std::string directory, error;
    aclError status = ReadGraphExternals(function, path, externals, directory, &shared.producers);
    if (status != ACL_SUCCESS) return status;
    std::map<std::string, std::shared_ptr<WeightFile>> byLocation;
    for (const auto& tensor : externals) {
        std::shared_ptr<WeightFile>& file = byLocation[tensor.location];
        if (!file) {
            std::string role = "'" + path + "': initializer '" + tensor.name + "'";
            status = AcquireWeightFile(function, directory + "/" + tensor.location, role, file);
            if (status != ACL_SUCCESS) return status;
            bool known = false;
            for (const auto& other : shared.files) known = known || other == file;
            if (!known) shared.files.push_back(file);
        }
        const OrtValue* value = file->Tensor(tensor, error);
        if (!error.empty()) {
            return Failf(ACL_ERROR_PARSE_MODEL, "%s: '%s': %s", function, path.c_str(), error.c_str());
        }
        if (value != nullptr) shared.values.emplace_back(tensor.name, value);
    }
    return ACL_SUCCESS;
}

// Shared tail of both loaders: charge the graph and its weight files, build the session, describe it, register it.
// Every loaded model is charged its own copy of the weights, as CANN allocates weight memory per loaded model
// (aclmdlLoadFromFile / aclmdlQuerySize: weightSize per model); the host mapping itself is shared.
// Shared initializers go in through AddInitializer, so ORT neither copies nor frees them, and the session writes its
// pre-packed weights into the weight file's container, where the next graph over the same weights finds them.
template <typename MakeSession>
aclError LoadModel(const char* function, const std::string& source, uint64_t weightBytes, SharedWeights shared,
                   uint32_t* modelId, MakeSession makeSession) {
    std::shared_ptr<Context> context;
    aclError status = RequireContext(function, context);
    if (status != ACL_SUCCESS) return status;
    const int32_t device = context->device;
    for (const auto& file : shared.files) weightBytes += file->Size();
    status = ReserveDeviceBytes(function, device, weightBytes);
    if (status != ACL_SUCCESS) return status;
    auto rollback = [&] { ReleaseDeviceBytes(device, weightBytes); };
    std::unique_ptr<Ort::Session> session;
    ModelInfo info;
    try {
        Ort::SessionOptions options = MakeSessionOptions();
        for (const auto& [name, value] : shared.values) options.AddInitializer(name.c_str(), value);
        OrtPrepackedWeightsContainer* prepacked = shared.files.empty() ? nullptr : shared.files.front()->Prepacked();
        session = makeSession(options, prepacked);
        for (const auto& file : shared.files) file->DropResidentPages();
        status = DescribeTensors(function, source, *session, true, shared.producers, info.inputs);
        if (status == ACL_SUCCESS) status = DescribeTensors(function, source, *session, false, shared.producers, info.outputs);
        if (status == ACL_SUCCESS) status = ReadDynamicDims(function, source, *session, info);
    } catch (const Ort::Exception& e) {
        status = Failf(ACL_ERROR_PARSE_MODEL, "%s: '%s' could not be loaded by ONNX Runtime: %s", function,
                       source.c_str(), e.what());
    } catch (...) {
        session.reset();
        rollback();
        throw;
    }
    if (status != ACL_SUCCESS) {
        session.reset();
        rollback();
        return status;
    }
    uint32_t id = nextModelId++;
    auto model = std::make_shared<Model>(id, source, device, weightBytes, std::move(shared.files), std::move(session),
                                         std::move(info));
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

// The graph file is charged at its size, and each external-data file it references (a bundle's weights.bin) once
// per device however many loaded graphs share it; the file is mapped once and its tensors are bound in place.
extern "C" aclError aclmdlLoadFromFile(const char* modelPath, uint32_t* modelId) {
    return Guarded("aclmdlLoadFromFile", [&]() -> aclError {
        if (modelId == nullptr) return Fail(ACL_ERROR_INVALID_PARAM, "aclmdlLoadFromFile: modelId must not be NULL");
        aclError status = RequireInit("aclmdlLoadFromFile");
        uint64_t size = 0;
        if (status == ACL_SUCCESS) status = StatModelFile("aclmdlLoadFromFile", modelPath, size);
        if (status != ACL_SUCCESS) return status;
        std::string path(modelPath);
        SharedWeights shared;
        status = ResolveSharedWeights("aclmdlLoadFromFile", path, shared);
        if (status != ACL_SUCCESS) return status;
        return LoadModel("aclmdlLoadFromFile", path, size, std::move(shared), modelId,
                         [&](const Ort::SessionOptions& options, OrtPrepackedWeightsContainer* prepacked) {
                             return prepacked != nullptr
                                        ? std::make_unique<Ort::Session>(SharedOrtEnv(), path.c_str(), options, prepacked)
                                        : std::make_unique<Ort::Session>(SharedOrtEnv(), path.c_str(), options);
                         });
    });
}

extern "C" aclError aclmdlLoadFromMem(const void* model, size_t modelSize, uint32_t* modelId) {
    return Guarded("aclmdlLoadFromMem", [&]() -> aclError {
        if (model == nullptr || modelSize == 0 || modelId == nullptr) {
            return Fail(ACL_ERROR_INVALID_PARAM, "aclmdlLoadFromMem: model, modelSize and modelId must be non-zero");
        }
        SharedWeights shared;
        std::string error;
        if (!ReadValueProducers(std::string(static_cast<const char*>(model), modelSize), shared.producers, error)) {
            return Failf(ACL_ERROR_PARSE_MODEL, "aclmdlLoadFromMem: not a valid ONNX model: %s", error.c_str());
        }
        return LoadModel("aclmdlLoadFromMem", "<memory>", modelSize, std::move(shared), modelId,
                         [&](const Ort::SessionOptions& options, OrtPrepackedWeightsContainer*) {
                             return std::make_unique<Ort::Session>(SharedOrtEnv(), model, modelSize, options);
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

// The weight size is the graph file plus every external-data file it references (what loading it alone charges);
// ONNX Runtime manages its own working memory, so workSize is 0.
extern "C" aclError aclmdlQuerySize(const char* fileName, size_t* workSize, size_t* weightSize) {
    return Guarded("aclmdlQuerySize", [&]() -> aclError {
        if (workSize == nullptr || weightSize == nullptr) {
            return Fail(ACL_ERROR_INVALID_PARAM, "aclmdlQuerySize: workSize and weightSize must not be NULL");
        }
        uint64_t size = 0;
        aclError status = StatModelFile("aclmdlQuerySize", fileName, size);
        std::vector<ExternalInitializer> externals;
        std::string directory;
        if (status == ACL_SUCCESS) status = ReadGraphExternals("aclmdlQuerySize", fileName, externals, directory);
        if (status != ACL_SUCCESS) return status;
        std::set<std::string> locations;
        for (const auto& tensor : externals) {
            if (!locations.insert(tensor.location).second) continue;
            uint64_t bytes = 0;
            std::string external = directory + "/" + tensor.location;
            status = StatModelFile("aclmdlQuerySize", external.c_str(), bytes);
            if (status != ACL_SUCCESS) return status;
            size += bytes;
        }
        *workSize = 0;
        *weightSize = static_cast<size_t>(size);
        return ACL_SUCCESS;
    });
}
