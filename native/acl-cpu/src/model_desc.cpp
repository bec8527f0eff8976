// aclmdlCreateDesc/GetDesc and the per-input/output queries, plus the dynamic-dims gear queries and setter.
#include <cstring>
#include <unordered_set>

#include "datasets.h"
#include "error_state.h"
#include "memory_registry.h"
#include "models.h"

struct aclmdlDesc {
    uint32_t modelId = 0;
    bool filled = false;
    aclcpu::ModelInfo info;
};

using namespace aclcpu;

namespace {

std::mutex liveMutex;
std::unordered_set<const void*> liveDescs;

// A filled, live desc's tensor `index`; null (with the recent error set) otherwise.
const TensorInfo* TensorAt(const char* function, const aclmdlDesc* desc, bool input, size_t index) {
    {
        std::lock_guard<std::mutex> lock(liveMutex);
        if (liveDescs.count(desc) == 0) {
            Failf(ACL_ERROR_INVALID_PARAM, "%s: %s is not a live model desc", function, HexPointer(desc).c_str());
            return nullptr;
        }
    }
    const auto& tensors = input ? desc->info.inputs : desc->info.outputs;
    if (index >= tensors.size()) {
        Failf(ACL_ERROR_INVALID_PARAM, "%s: index %zu is out of range (the model has %zu %ss)", function, index,
              tensors.size(), input ? "input" : "output");
        return nullptr;
    }
    return &tensors[index];
}

bool IsLiveDesc(const char* function, const aclmdlDesc* desc) {
    std::lock_guard<std::mutex> lock(liveMutex);
    if (liveDescs.count(desc) != 0) return true;
    Failf(ACL_ERROR_INVALID_PARAM, "%s: %s is not a live model desc", function, HexPointer(desc).c_str());
    return false;
}

aclError FillDims(const char* function, const aclmdlDesc* desc, bool input, size_t index, aclmdlIODims* dims) {
    if (dims == nullptr) return Failf(ACL_ERROR_INVALID_PARAM, "%s: dims must not be NULL", function);
    const TensorInfo* tensor = TensorAt(function, desc, input, index);
    if (tensor == nullptr) return ACL_ERROR_INVALID_PARAM;
    std::memset(dims, 0, sizeof(*dims));
    std::strncpy(dims->name, tensor->name.c_str(), ACL_MAX_TENSOR_NAME_LEN - 1);  // truncated, NUL-terminated
    dims->dimCount = tensor->dims.size();
    for (size_t d = 0; d < tensor->dims.size(); ++d) dims->dims[d] = tensor->dims[d];
    return ACL_SUCCESS;
}

aclError IndexByName(const char* function, const aclmdlDesc* desc, bool input, const char* name, size_t* index) {
    if (name == nullptr || index == nullptr) {
        return Failf(ACL_ERROR_INVALID_PARAM, "%s: name and index must not be NULL", function);
    }
    if (!IsLiveDesc(function, desc)) return ACL_ERROR_INVALID_PARAM;
    const auto& tensors = input ? desc->info.inputs : desc->info.outputs;
    for (size_t i = 0; i < tensors.size(); ++i) {
        if (tensors[i].name == name) {
            *index = i;
            return ACL_SUCCESS;
        }
    }
    return Failf(ACL_ERROR_INVALID_PARAM, "%s: the model has no %s named '%s'", function, input ? "input" : "output",
                 name);
}

}  // namespace

extern "C" aclmdlDesc* aclmdlCreateDesc(void) {
    try {
        auto* desc = new aclmdlDesc();
        std::lock_guard<std::mutex> lock(liveMutex);
        liveDescs.insert(desc);
        return desc;
    } catch (...) {
        Fail(ACL_ERROR_BAD_ALLOC, "aclmdlCreateDesc: host memory exhausted");
        return nullptr;
    }
}

extern "C" aclError aclmdlDestroyDesc(aclmdlDesc* modelDesc) {
    {
        std::lock_guard<std::mutex> lock(liveMutex);
        if (liveDescs.erase(modelDesc) == 0) {
            return Failf(ACL_ERROR_INVALID_PARAM, "aclmdlDestroyDesc: %s is not a live model desc",
                         HexPointer(modelDesc).c_str());
        }
    }
    delete modelDesc;
    return ACL_SUCCESS;
}

// The desc gets a copy of the model's description, so it stays valid after aclmdlUnload.
extern "C" aclError aclmdlGetDesc(aclmdlDesc* modelDesc, uint32_t modelId) {
    return Guarded("aclmdlGetDesc", [&]() -> aclError {
        if (!IsLiveDesc("aclmdlGetDesc", modelDesc)) return ACL_ERROR_INVALID_PARAM;
        std::shared_ptr<Model> model;
        aclError status = FindModel("aclmdlGetDesc", modelId, model);
        if (status != ACL_SUCCESS) return status;
        modelDesc->info = model->Info();
        modelDesc->modelId = modelId;
        modelDesc->filled = true;
        return ACL_SUCCESS;
    });
}

extern "C" size_t aclmdlGetNumInputs(aclmdlDesc* modelDesc) {
    return IsLiveDesc("aclmdlGetNumInputs", modelDesc) ? modelDesc->info.inputs.size() : 0;
}

extern "C" size_t aclmdlGetNumOutputs(aclmdlDesc* modelDesc) {
    return IsLiveDesc("aclmdlGetNumOutputs", modelDesc) ? modelDesc->info.outputs.size() : 0;
}

extern "C" size_t aclmdlGetInputSizeByIndex(aclmdlDesc* modelDesc, size_t index) {
    const TensorInfo* tensor = TensorAt("aclmdlGetInputSizeByIndex", modelDesc, true, index);
    return tensor ? tensor->bytes : 0;
}

extern "C" size_t aclmdlGetOutputSizeByIndex(aclmdlDesc* modelDesc, size_t index) {
    const TensorInfo* tensor = TensorAt("aclmdlGetOutputSizeByIndex", modelDesc, false, index);
    return tensor ? tensor->bytes : 0;
}

extern "C" aclError aclmdlGetInputDims(const aclmdlDesc* modelDesc, size_t index, aclmdlIODims* dims) {
    return FillDims("aclmdlGetInputDims", modelDesc, true, index, dims);
}

extern "C" aclError aclmdlGetOutputDims(const aclmdlDesc* modelDesc, size_t index, aclmdlIODims* dims) {
    return FillDims("aclmdlGetOutputDims", modelDesc, false, index, dims);
}

// Static graphs: the current output shape is always the declared one.
extern "C" aclError aclmdlGetCurOutputDims(const aclmdlDesc* modelDesc, size_t index, aclmdlIODims* dims) {
    return FillDims("aclmdlGetCurOutputDims", modelDesc, false, index, dims);
}

extern "C" const char* aclmdlGetInputNameByIndex(const aclmdlDesc* modelDesc, size_t index) {
    const TensorInfo* tensor = TensorAt("aclmdlGetInputNameByIndex", modelDesc, true, index);
    return tensor ? tensor->name.c_str() : "";
}

extern "C" const char* aclmdlGetOutputNameByIndex(const aclmdlDesc* modelDesc, size_t index) {
    const TensorInfo* tensor = TensorAt("aclmdlGetOutputNameByIndex", modelDesc, false, index);
    return tensor ? tensor->name.c_str() : "";
}

extern "C" aclDataType aclmdlGetInputDataType(const aclmdlDesc* modelDesc, size_t index) {
    const TensorInfo* tensor = TensorAt("aclmdlGetInputDataType", modelDesc, true, index);
    return tensor ? tensor->type : ACL_DT_UNDEFINED;
}

extern "C" aclDataType aclmdlGetOutputDataType(const aclmdlDesc* modelDesc, size_t index) {
    const TensorInfo* tensor = TensorAt("aclmdlGetOutputDataType", modelDesc, false, index);
    return tensor ? tensor->type : ACL_DT_UNDEFINED;
}

extern "C" aclFormat aclmdlGetInputFormat(const aclmdlDesc* modelDesc, size_t index) {
    return TensorAt("aclmdlGetInputFormat", modelDesc, true, index) ? ACL_FORMAT_ND : ACL_FORMAT_UNDEFINED;
}

extern "C" aclFormat aclmdlGetOutputFormat(const aclmdlDesc* modelDesc, size_t index) {
    return TensorAt("aclmdlGetOutputFormat", modelDesc, false, index) ? ACL_FORMAT_ND : ACL_FORMAT_UNDEFINED;
}

extern "C" aclError aclmdlGetInputIndexByName(const aclmdlDesc* modelDesc, const char* name, size_t* index) {
    return IndexByName("aclmdlGetInputIndexByName", modelDesc, true, name, index);
}

extern "C" aclError aclmdlGetOutputIndexByName(const aclmdlDesc* modelDesc, const char* name, size_t* index) {
    return IndexByName("aclmdlGetOutputIndexByName", modelDesc, false, name, index);
}

// Dynamic-dims gears (CANN documentation aclcppdevg_03_1467, _1468, _0312): a gear is every input's dims
// concatenated; the index argument is reserved ((size_t)-1). A static model reports 0 gears.
extern "C" aclError aclmdlGetInputDynamicGearCount(const aclmdlDesc* modelDesc, size_t index, size_t* gearCount) {
    (void)index;
    if (gearCount == nullptr) {
        return Fail(ACL_ERROR_INVALID_PARAM, "aclmdlGetInputDynamicGearCount: gearCount must not be NULL");
    }
    if (!IsLiveDesc("aclmdlGetInputDynamicGearCount", modelDesc)) return ACL_ERROR_INVALID_PARAM;
    *gearCount = modelDesc->info.gears.size();
    return ACL_SUCCESS;
}

extern "C" aclError aclmdlGetInputDynamicDims(const aclmdlDesc* modelDesc, size_t index, aclmdlIODims* dims,
                                              size_t gearCount) {
    (void)index;
    if (!IsLiveDesc("aclmdlGetInputDynamicDims", modelDesc)) return ACL_ERROR_INVALID_PARAM;
    const auto& gears = modelDesc->info.gears;
    if (gearCount != gears.size()) {
        return Failf(ACL_ERROR_INVALID_PARAM, "aclmdlGetInputDynamicDims: gearCount is %zu but the model has %zu gears",
                     gearCount, gears.size());
    }
    if (dims == nullptr && gearCount > 0) return Fail(ACL_ERROR_INVALID_PARAM, "aclmdlGetInputDynamicDims: dims must not be NULL");
    for (size_t g = 0; g < gears.size(); ++g) {
        std::memset(&dims[g], 0, sizeof(aclmdlIODims));
        dims[g].dimCount = gears[g].dims.size();
        for (size_t d = 0; d < gears[g].dims.size(); ++d) dims[g].dims[d] = gears[g].dims[d];
    }
    return ACL_SUCCESS;
}

// Chooses the gear of `dataset` for the following executions; `dims` must equal one of the compiled gears, and
// `index` must be the ACL_DYNAMIC_TENSOR_NAME input. The gear's dims are written into that input's buffer.
extern "C" aclError aclmdlSetInputDynamicDims(uint32_t modelId, aclmdlDataset* dataset, size_t index,
                                              const aclmdlIODims* dims) {
    return Guarded("aclmdlSetInputDynamicDims", [&]() -> aclError {
        const char* function = "aclmdlSetInputDynamicDims";
        std::shared_ptr<Model> model;
        aclError status = FindModel(function, modelId, model);
        if (status != ACL_SUCCESS) return status;
        const ModelInfo& info = model->Info();
        if (!info.Dynamic()) {
            return Failf(ACL_ERROR_MODEL_NOT_DYNAMIC, "%s: model %u ('%s') was compiled without dynamic-dims gears",
                         function, modelId, model->Source().c_str());
        }
        if (index != info.dynamicInput) {
            return Failf(ACL_ERROR_INVALID_PARAM, "%s: index %zu is not the %s input (index %zu)", function, index,
                         ACL_DYNAMIC_TENSOR_NAME, info.dynamicInput);
        }
        if (dims == nullptr) return Failf(ACL_ERROR_INVALID_PARAM, "%s: dims must not be NULL", function);
        int gear = -1;
        for (size_t g = 0; g < info.gears.size() && gear < 0; ++g) {
            const auto& values = info.gears[g].dims;
            bool same = dims->dimCount == values.size();
            for (size_t d = 0; same && d < values.size(); ++d) same = dims->dims[d] == values[d];
            if (same) gear = static_cast<int>(g);
        }
        if (gear < 0) {
            std::string given;
            for (size_t d = 0; d < dims->dimCount && d < ACL_MAX_DIM_CNT; ++d) given += (d ? "," : "") + std::to_string(dims->dims[d]);
            return Failf(ACL_ERROR_INVALID_PARAM, "%s: model %u ('%s'): dims (%s) are not one of its %zu compiled gears",
                         function, modelId, model->Source().c_str(), given.c_str(), info.gears.size());
        }
        std::vector<BufferView> views;
        status = SetDatasetGear(function, dataset, gear, views);
        if (status != ACL_SUCCESS) return status;
        const auto& values = info.gears[static_cast<size_t>(gear)].dims;
        size_t bytes = values.size() * sizeof(int64_t);
        if (index < views.size() && views[index].size >= bytes &&
            CheckDeviceRange(function, ACL_DYNAMIC_TENSOR_NAME, views[index].data, bytes) == ACL_SUCCESS) {
            std::memcpy(views[index].data, values.data(), bytes);
        }
        return ACL_SUCCESS;
    });
}
