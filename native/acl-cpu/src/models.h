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
    std::string name;     // as aclmdlGet*NameByIndex reports it (outputs: "op_name:out_index:output_name", as CANN)
    std::string ortName;  // the ONNX value name ONNX Runtime binds
    std::vector<int64_t> dims;  // -1 where a dynamic-dims gear sets the size
    std::vector<std::string> symbols;  // ONNX dim_param per dim ("" for fixed dims)
    aclDataType type = ACL_DT_UNDEFINED;
    int onnxType = 0;  // ONNXTensorElementDataType
    size_t bytes = 0;  // product(dims) * element size; the largest gear's for a dynamic tensor
};

// One dynamic-dims gear: the concatenated input dims aclmdlGetInputDynamicDims reports, and every tensor's shape.
struct Gear {
    std::vector<int64_t> dims;
    std::vector<std::vector<int64_t>> inputDims, outputDims;  // per tensor (the dynamic-dims input: its own)
    std::vector<size_t> inputBytes, outputBytes;
};

struct ModelInfo {
    std::vector<TensorInfo> inputs;  // a dynamic model ends with ACL_DYNAMIC_TENSOR_NAME, as atc adds it
    std::vector<TensorInfo> outputs;
    std::vector<Gear> gears;         // empty for a static model
    size_t dynamicInput = SIZE_MAX;  // index of ACL_DYNAMIC_TENSOR_NAME
    bool Dynamic() const { return !gears.empty(); }
};

class Model {
public:
    // `weightFiles` are the external-data files the session's initializers live in. `weightBytes` (the graph file
    // and every weight file) is charged to `device` for this model alone, as CANN gives every loaded model its own
    // weight memory; it is given back when the model goes.
    Model(uint32_t id, std::string source, int32_t device, uint64_t weightBytes,
          std::vector<std::shared_ptr<WeightFile>> weightFiles, std::unique_ptr<Ort::Session> session, ModelInfo info);
    ~Model();  // gives the model's bytes back to the device budget

    uint32_t Id() const { return id_; }
    const std::string& Source() const { return source_; }
    const ModelInfo& Info() const { return info_; }

    // Runs the graph over the buffers in dataset order (= graph input/output order), binding them as ORT
    // tensors without copies. Executions of one model are serialized.
    // A dynamic model runs at `gear` (set on the input dataset by aclmdlSetInputDynamicDims; -1 = not set).
    aclError Execute(const char* function, const std::vector<BufferView>& inputs,
                     const std::vector<BufferView>& outputs, int gear);

    // Checks the gear, buffer counts, sizes and that every buffer lies in live device memory.
    aclError Validate(const char* function, const std::vector<BufferView>& inputs,
                      const std::vector<BufferView>& outputs, int gear) const;

private:
    aclError CheckBuffers(const char* function, const char* role, const std::vector<TensorInfo>& tensors,
                          const std::vector<BufferView>& views, const std::vector<size_t>* gearBytes) const;

    const uint32_t id_;
    const std::string source_;  // file path, or "<memory>"
    const int32_t device_;
    const uint64_t weightBytes_;  // the graph file and its weight files
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
