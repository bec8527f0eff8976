// aclDataType facts: element sizes and the mapping from ONNX tensor element types.
#pragma once

#include <cstddef>

#include "acl/acl_base.h"

namespace aclcpu {

// Bytes per element; 0 for types without a whole-byte size (string, int4, uint1, undefined).
size_t ElementSize(aclDataType type);

// ONNX TensorProto.DataType value -> aclDataType; ACL_DT_UNDEFINED when the CPU device does not support it.
aclDataType FromOnnxElementType(int onnxType);

const char* DataTypeName(aclDataType type);

}  // namespace aclcpu
