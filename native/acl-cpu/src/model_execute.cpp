// Model construction and execution: dataset buffers are bound to ORT tensors in place (no copies).
#include <cstring>

#include "data_types.h"
#include "error_state.h"
#include "memory_registry.h"
#include "models.h"
#include "ort_env.h"
#include "profiler.h"
#include "streams.h"

namespace aclcpu {

Model::Model(uint32_t id, std::string source, int32_t device, uint64_t weightBytes,
             std::vector<std::shared_ptr<WeightFile>> weightFiles, std::unique_ptr<Ort::Session> session, ModelInfo info)
    : id_(id), source_(std::move(source)), device_(device), weightBytes_(weightBytes),
      weightFiles_(std::move(weightFiles)), session_(std::move(session)), info_(std::move(info)) {
    for (size_t i = 0; i < info_.inputs.size(); ++i) {
        if (i != info_.dynamicInput) inputNames_.push_back(info_.inputs[i].ortName.c_str());
    }
    for (const auto& tensor : info_.outputs) outputNames_.push_back(tensor.ortName.c_str());
}

Model::~Model() { ReleaseDeviceBytes(device_, weightBytes_); }

aclError Model::CheckBuffers(const char* function, const char* role, const std::vector<TensorInfo>& tensors,
                             const std::vector<BufferView>& views, const std::vector<size_t>* gearBytes) const {
    if (views.size() != tensors.size()) {
        return Failf(ACL_ERROR_INVALID_PARAM, "%s: model %u ('%s') has %zu %ss but the %s dataset holds %zu buffers",
                     function, id_, source_.c_str(), tensors.size(), role, role, views.size());
    }
    for (size_t i = 0; i < tensors.size(); ++i) {
        const TensorInfo& tensor = tensors[i];
        size_t needed = gearBytes != nullptr ? (*gearBytes)[i] : tensor.bytes;
        if (views[i].size < needed) {
            return Failf(ACL_ERROR_INVALID_PARAM, "%s: model %u: %s %zu '%s' needs %zu bytes (%s, %zu dims%s) but its "
                         "buffer holds %zu", function, id_, role, i, tensor.name.c_str(), needed,
                         DataTypeName(tensor.type), tensor.dims.size(), gearBytes != nullptr ? ", at the set gear" : "",
                         views[i].size);
        }
        std::string what = std::string(role) + " " + std::to_string(i) + " '" + tensor.name + "'";
        aclError status = CheckDeviceRange(function, what.c_str(), views[i].data, needed);
        if (status != ACL_SUCCESS) return status;
    }
    return ACL_SUCCESS;
}

// A dynamic model runs only at a gear chosen with aclmdlSetInputDynamicDims, as on CANN; buffers must then hold
// that gear's shapes (the engine binds a KV block of exactly the window it runs at).
aclError Model::Validate(const char* function, const std::vector<BufferView>& inputs,
                         const std::vector<BufferView>& outputs, int gear) const {
    const Gear* chosen = nullptr;
    if (info_.Dynamic()) {
        if (gear < 0 || static_cast<size_t>(gear) >= info_.gears.size()) {
            return Failf(ACL_ERROR_INVALID_PARAM, "%s: model %u ('%s') has dynamic dims: call aclmdlSetInputDynamicDims "
                         "on the input dataset with one of its %zu gears before executing", function, id_,
                         source_.c_str(), info_.gears.size());
        }
        chosen = &info_.gears[static_cast<size_t>(gear)];
    }
    aclError status = CheckBuffers(function, "input", info_.inputs, inputs, chosen ? &chosen->inputBytes : nullptr);
    if (status == ACL_SUCCESS)
        status = CheckBuffers(function, "output", info_.outputs, outputs, chosen ? &chosen->outputBytes : nullptr);
    return status;
}

aclError Model::Execute(const char* function, const std::vector<BufferView>& inputs,
                        const std::vector<BufferView>& outputs, int gear) {
    aclError status = Validate(function, inputs, outputs, gear);
    if (status != ACL_SUCCESS) return status;
    const Gear* chosen = info_.Dynamic() ? &info_.gears[static_cast<size_t>(gear)] : nullptr;
    const Ort::MemoryInfo& memory = CpuMemoryInfo();
    std::vector<Ort::Value> inputValues;
    std::vector<Ort::Value> outputValues;
    inputValues.reserve(inputs.size());
    outputValues.reserve(outputs.size());
    try {
        for (size_t i = 0; i < inputs.size(); ++i) {
            if (i == info_.dynamicInput) continue;  // read by the runtime, not by the graph
            const TensorInfo& t = info_.inputs[i];
            const auto& dims = chosen ? chosen->inputDims[i] : t.dims;
            size_t bytes = chosen ? chosen->inputBytes[i] : t.bytes;
            inputValues.push_back(Ort::Value::CreateTensor(memory, inputs[i].data, bytes, dims.data(), dims.size(),
                                                           static_cast<ONNXTensorElementDataType>(t.onnxType)));
        }
        for (size_t i = 0; i < outputs.size(); ++i) {
            const TensorInfo& t = info_.outputs[i];
            const auto& dims = chosen ? chosen->outputDims[i] : t.dims;
            size_t bytes = chosen ? chosen->outputBytes[i] : t.bytes;
            outputValues.push_back(Ort::Value::CreateTensor(memory, outputs[i].data, bytes, dims.data(), dims.size(),
                                                            static_cast<ONNXTensorElementDataType>(t.onnxType)));
        }
        std::lock_guard<std::mutex> lock(runMutex_);
        // Preallocated output values make ORT write straight into the caller's device buffers.
        session_->Run(Ort::RunOptions{nullptr}, inputNames_.data(), inputValues.data(), inputValues.size(),
                      outputNames_.data(), outputValues.data(), outputValues.size());
    } catch (const Ort::Exception& e) {
        return Failf(ACL_ERROR_GE_FAILURE, "%s: model %u ('%s'): ONNX Runtime failed: %s", function, id_,
                     source_.c_str(), e.what());
    }
    return ACL_SUCCESS;
}

}  // namespace aclcpu

using namespace aclcpu;

namespace {

std::string ExecuteArgs(const Model& model, aclError status) {
    return "\"model_id\":" + std::to_string(model.Id()) + ",\"model\":\"" + JsonEscape(model.Source()) +
           "\",\"status\":" + std::to_string(status);
}

aclError SnapshotBoth(const char* function, const aclmdlDataset* input, const aclmdlDataset* output,
                      std::vector<BufferView>& inputs, std::vector<BufferView>& outputs, int& gear) {
    aclError status = SnapshotDataset(function, "input", input, inputs, &gear);
    if (status == ACL_SUCCESS) status = SnapshotDataset(function, "output", output, outputs);
    return status;
}

}  // namespace

extern "C" aclError aclmdlExecute(uint32_t modelId, const aclmdlDataset* input, aclmdlDataset* output) {
    return Guarded("aclmdlExecute", [&]() -> aclError {
        std::shared_ptr<Model> model;
        std::vector<BufferView> inputs, outputs;
        int gear = -1;
        aclError status = FindModel("aclmdlExecute", modelId, model);
        if (status == ACL_SUCCESS) status = SnapshotBoth("aclmdlExecute", input, output, inputs, outputs, gear);
        if (status != ACL_SUCCESS) return status;
        ProfileSpan span;
        status = model->Execute("aclmdlExecute", inputs, outputs, gear);
        if (span.On()) span.Finish("aclmdlExecute", kHostLane, ExecuteArgs(*model, status));
        return status;
    });
}

// Buffer lists are captured now, so the datasets may be destroyed before the stream runs the model;
// the device memory itself must stay allocated until then (it is re-checked when the model runs).
extern "C" aclError aclmdlExecuteAsync(uint32_t modelId, const aclmdlDataset* input, aclmdlDataset* output,
                                       aclrtStream stream) {
    return Guarded("aclmdlExecuteAsync", [&]() -> aclError {
        std::shared_ptr<Model> model;
        std::shared_ptr<Stream> queue;
        std::vector<BufferView> inputs, outputs;
        int gear = -1;
        aclError status = FindModel("aclmdlExecuteAsync", modelId, model);
        if (status == ACL_SUCCESS) status = ResolveStream(stream, "aclmdlExecuteAsync", queue);
        if (status == ACL_SUCCESS) status = SnapshotBoth("aclmdlExecuteAsync", input, output, inputs, outputs, gear);
        if (status == ACL_SUCCESS) status = model->Validate("aclmdlExecuteAsync", inputs, outputs, gear);
        if (status != ACL_SUCCESS) return status;
        uint32_t lane = queue->Id();
        bool queued = queue->Enqueue([model, inputs = std::move(inputs), outputs = std::move(outputs), lane, gear]() {
            ProfileSpan span;
            aclError result = model->Execute("aclmdlExecuteAsync", inputs, outputs, gear);
            if (span.On()) span.Finish("aclmdlExecuteAsync", lane, ExecuteArgs(*model, result));
            return result;
        });
        return queued ? ACL_SUCCESS
                      : Fail(ACL_ERROR_INVALID_PARAM, "aclmdlExecuteAsync: the stream was destroyed meanwhile");
    });
}
