// aclCreateTensorDesc & co.: plain host-side descriptions of a tensor's type, format and shape.
#include <mutex>
#include <unordered_set>
#include <vector>

#include "acl/acl_base.h"
#include "data_types.h"
#include "error_state.h"

struct aclTensorDesc {
    aclDataType type;
    aclFormat format;
    std::vector<int64_t> dims;
};

namespace {
std::mutex liveMutex;
std::unordered_set<const void*> liveDescs;

bool IsLive(const aclTensorDesc* desc, const char* function) {
    std::lock_guard<std::mutex> lock(liveMutex);
    if (liveDescs.count(desc) != 0) return true;
    aclcpu::Failf(ACL_ERROR_INVALID_PARAM, "%s: %s is not a live tensor desc", function,
                  aclcpu::HexPointer(desc).c_str());
    return false;
}

bool ValidShape(int numDims, const int64_t* dims) {
    return numDims >= 0 && numDims <= 128 && (numDims == 0 || dims != nullptr);
}
}  // namespace

using aclcpu::Fail;

extern "C" aclTensorDesc* aclCreateTensorDesc(aclDataType dataType, int numDims, const int64_t* dims, aclFormat format) {
    if (!ValidShape(numDims, dims)) {
        Fail(ACL_ERROR_INVALID_PARAM, "aclCreateTensorDesc: numDims must be 0..128 and dims non-NULL when numDims > 0");
        return nullptr;
    }
    try {
        auto* desc = new aclTensorDesc{dataType, format, std::vector<int64_t>(dims, dims + numDims)};
        std::lock_guard<std::mutex> lock(liveMutex);
        liveDescs.insert(desc);
        return desc;
    } catch (...) {
        Fail(ACL_ERROR_BAD_ALLOC, "aclCreateTensorDesc: host memory exhausted");
        return nullptr;
    }
}

extern "C" void aclDestroyTensorDesc(const aclTensorDesc* desc) {
    if (desc == nullptr) return;
    {
        std::lock_guard<std::mutex> lock(liveMutex);
        if (liveDescs.erase(desc) == 0) {
            Fail(ACL_ERROR_INVALID_PARAM, "aclDestroyTensorDesc: not a live tensor desc");
            return;
        }
    }
    delete desc;
}

extern "C" aclDataType aclGetTensorDescType(const aclTensorDesc* desc) {
    return IsLive(desc, "aclGetTensorDescType") ? desc->type : ACL_DT_UNDEFINED;
}

extern "C" aclFormat aclGetTensorDescFormat(const aclTensorDesc* desc) {
    return IsLive(desc, "aclGetTensorDescFormat") ? desc->format : ACL_FORMAT_UNDEFINED;
}

extern "C" size_t aclGetTensorDescNumDims(const aclTensorDesc* desc) {
    return IsLive(desc, "aclGetTensorDescNumDims") ? desc->dims.size() : 0;
}

extern "C" size_t aclGetTensorDescElementCount(const aclTensorDesc* desc) {
    if (!IsLive(desc, "aclGetTensorDescElementCount")) return 0;
    size_t count = 1;
    for (int64_t d : desc->dims) {
        if (d < 0) return 0;  // unknown dimension
        count *= static_cast<size_t>(d);
    }
    return count;
}

extern "C" size_t aclGetTensorDescSize(const aclTensorDesc* desc) {
    if (!IsLive(desc, "aclGetTensorDescSize")) return 0;
    return aclGetTensorDescElementCount(desc) * aclcpu::ElementSize(desc->type);
}

extern "C" aclError aclGetTensorDescDimV2(const aclTensorDesc* desc, size_t index, int64_t* dimSize) {
    if (dimSize == nullptr) return Fail(ACL_ERROR_INVALID_PARAM, "aclGetTensorDescDimV2: dimSize must not be NULL");
    if (!IsLive(desc, "aclGetTensorDescDimV2")) return ACL_ERROR_INVALID_PARAM;
    if (index >= desc->dims.size()) {
        return aclcpu::Failf(ACL_ERROR_INVALID_PARAM, "aclGetTensorDescDimV2: index %zu is out of range (rank %zu)",
                             index, desc->dims.size());
    }
    *dimSize = desc->dims[index];
    return ACL_SUCCESS;
}

extern "C" aclError aclSetTensorShape(aclTensorDesc* desc, int numDims, const int64_t* dims) {
    if (!ValidShape(numDims, dims)) {
        return Fail(ACL_ERROR_INVALID_PARAM, "aclSetTensorShape: numDims must be 0..128 and dims non-NULL");
    }
    if (!IsLive(desc, "aclSetTensorShape")) return ACL_ERROR_INVALID_PARAM;
    desc->dims.assign(dims, dims + numDims);
    return ACL_SUCCESS;
}
