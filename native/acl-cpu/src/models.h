// Loaded models: an ONNX Runtime session per model id, with the graph's input/output descriptions.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <onnxruntime_cxx_api.h>

#include "acl/acl_mdl.h"
#include "datasets.h"
#include "weight_files.h"

namespace aclcpu {

struct TensorInfo {
    std::string name;
    std::vector<int64_t> dims;
    aclDataType type = ACL_DT_UNDEFINED;
    int onnxType = 0;  // ONNXTensorElementDataType
    size_t bytes = 0;  // product(dims) * element size
};

struct ModelInfo {
    std::vector<TensorInfo> inputs;
    std::vector<TensorInfo> outputs;
};

class Model {
public:
    // `weightFiles` are the external-data files the session's initializers live in; each is already charged to
    // `device` for this model (WeightFile::Charge) and is uncharged when the model goes.
    Model(uint32_t id, std::string source, int32_t device, uint64_t weightBytes,
          std::vector<std::shared_ptr<WeightFile>> weightFiles, std::unique_ptr<Ort::Session> session, ModelInfo info);
    ~Model();  // gives the graph file's bytes and the weight files' charges back to the device budget

    uint32_t Id() const { return id_; }
    const std::string& Source() const { return source_; }
    const ModelInfo& Info() const { return info_; }

    // Runs the graph over the buffers in dataset order (= graph input/output order), binding them as ORT
    // tensors without copies. Executions of one model are serialized.
    aclError Execute(const char* function, const std::vector<BufferView>& inputs,
                     const std::vector<BufferView>& outputs);

    // Checks buffer counts, sizes and that every buffer lies in live device memory.
    aclError Validate(const char* function, const std::vector<BufferView>& inputs,
                      const std::vector<BufferView>& outputs) const;

private:
    aclError CheckBuffers(const char* function, const char* role, const std::vector<TensorInfo>& tensors,
                          const std::vector<BufferView>& views) const;

    const uint32_t id_;
    const std::string source_;  // file path, or "<memory>"
    const int32_t device_;
    const uint64_t weightBytes_;  // the graph file itself
    // Declared before the session so they outlive it: its initializers point into these mappings.
    const std::vector<std::shared_ptr<WeightFile>> weightFiles_;
    std::unique_ptr<Ort::Session> session_;
    const ModelInfo info_;
    std::vector<const char*> inputNames_;
    std::vector<const char*> outputNames_;
    std::mutex runMutex_;
};

aclError FindModel(const char* function, uint32_t modelId, std::shared_ptr<Model>& model);

// aclFinalize: unload every model.
void ShutdownModels();

}  // namespace aclcpu
