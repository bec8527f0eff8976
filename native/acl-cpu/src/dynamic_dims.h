// Dynamic-dims gears of a graph, as CANN's atc compiles them from --input_shape / --dynamic_dims.
#pragma once

#include <string>

#include <onnxruntime_cxx_api.h>

#include "models.h"

namespace aclcpu {

// ONNX metadata keys holding the atc strings the exporter compiles the .om with; the CPU device reads its gears
// from them as CANN reads them from the .om.
constexpr const char* kInputShapeKey = "ascend.atc.input_shape";
constexpr const char* kDynamicDimsKey = "ascend.atc.dynamic_dims";

// Fills info.gears (and appends the ACL_DYNAMIC_TENSOR_NAME input) from the session's metadata. A model with a
// symbolic dimension and no gears fails, as atc cannot compile an unbounded shape; so do gears that contradict the
// graph (wrong names or ranks, a fixed dim changed, an output size no input determines).
aclError ReadDynamicDims(const char* function, const std::string& source, Ort::Session& session, ModelInfo& info);

}  // namespace aclcpu
