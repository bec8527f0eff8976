#include "data_types.h"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace aclcpu {

size_t ElementSize(aclDataType type) {
    switch (type) {
        case ACL_FLOAT: case ACL_INT32: case ACL_UINT32: return 4;
        case ACL_FLOAT16: case ACL_BF16: case ACL_INT16: case ACL_UINT16: return 2;
        case ACL_INT8: case ACL_UINT8: case ACL_BOOL: return 1;
        case ACL_INT64: case ACL_UINT64: case ACL_DOUBLE: case ACL_COMPLEX64: return 8;
        case ACL_COMPLEX128: return 16;
        case ACL_COMPLEX32: return 4;
        default: return 0;
    }
}

// Values are ONNX's TensorProto.DataType numbers.
aclDataType FromOnnxElementType(int onnxType) {
    switch (onnxType) {
        case 1: return ACL_FLOAT;
        case 2: return ACL_UINT8;
        case 3: return ACL_INT8;
        case 4: return ACL_UINT16;
        case 5: return ACL_INT16;
        case 6: return ACL_INT32;
        case 7: return ACL_INT64;
        case 9: return ACL_BOOL;
        case 10: return ACL_FLOAT16;
        case 11: return ACL_DOUBLE;
        case 12: return ACL_UINT32;
        case 13: return ACL_UINT64;
        case 14: return ACL_COMPLEX64;
        case 15: return ACL_COMPLEX128;
        case 16: return ACL_BF16;
        default: return ACL_DT_UNDEFINED;
    }
}

const char* DataTypeName(aclDataType type) {
    switch (type) {
        case ACL_FLOAT: return "float32";
        case ACL_FLOAT16: return "float16";
        case ACL_BF16: return "bfloat16";
        case ACL_INT8: return "int8";
        case ACL_UINT8: return "uint8";
        case ACL_INT16: return "int16";
        case ACL_UINT16: return "uint16";
        case ACL_INT32: return "int32";
        case ACL_UINT32: return "uint32";
        case ACL_INT64: return "int64";
        case ACL_UINT64: return "uint64";
        case ACL_DOUBLE: return "float64";
        case ACL_BOOL: return "bool";
        case ACL_COMPLEX64: return "complex64";
        case ACL_COMPLEX128: return "complex128";
        default: return "unsupported";
    }
}

}  // namespace aclcpu

extern "C" size_t aclDataTypeSize(aclDataType dataType) { return aclcpu::ElementSize(dataType); }

// IEEE 754 binary16 <-> binary32, round-to-nearest-even.
extern "C" float aclFloat16ToFloat(aclFloat16 value) {
    uint32_t sign = static_cast<uint32_t>(value & 0x8000u) << 16;
    uint32_t exponent = (value >> 10) & 0x1Fu;
    uint32_t mantissa = value & 0x3FFu;
    uint32_t bits;
    if (exponent == 0x1F) {
        bits = sign | 0x7F800000u | (mantissa << 13);
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        bits = sign;
    } else {
        float magnitude = std::ldexp(static_cast<float>(mantissa), -24);  // subnormal
        return sign ? -magnitude : magnitude;
    }
    float result;
    std::memcpy(&result, &bits, sizeof(result));
    return result;
}

extern "C" aclFloat16 aclFloatToFloat16(float value) {
    uint32_t bits;
    std::memcpy(&bits, &value, sizeof(bits));
    uint32_t sign = (bits >> 16) & 0x8000u;
    uint32_t exponent = (bits >> 23) & 0xFFu;
    uint32_t mantissa = bits & 0x7FFFFFu;
    if (exponent == 0xFF) return static_cast<aclFloat16>(sign | 0x7C00u | (mantissa ? 0x200u : 0u));
    int32_t halfExponent = static_cast<int32_t>(exponent) - 127 + 15;
    if (halfExponent >= 0x1F) return static_cast<aclFloat16>(sign | 0x7C00u);  // overflow -> inf
    if (halfExponent <= 0) {
        if (halfExponent < -10) return static_cast<aclFloat16>(sign);  // underflow -> signed zero
        mantissa |= 0x800000u;
        uint32_t shift = static_cast<uint32_t>(14 - halfExponent);
        uint32_t half = mantissa >> shift;
        uint32_t remainder = mantissa & ((1u << shift) - 1);
        uint32_t midpoint = 1u << (shift - 1);
        if (remainder > midpoint || (remainder == midpoint && (half & 1u))) ++half;
        return static_cast<aclFloat16>(sign | half);
    }
    uint32_t half = sign | (static_cast<uint32_t>(halfExponent) << 10) | (mantissa >> 13);
    uint32_t remainder = mantissa & 0x1FFFu;
    if (remainder > 0x1000u || (remainder == 0x1000u && (half & 1u))) ++half;  // may carry into the exponent: fine
    return static_cast<aclFloat16>(half);
}
