// aclCreateDataBuffer & co. and aclmdlCreateDataset & co. Live sets make stale handles errors, not crashes.
#include "datasets.h"

#include <mutex>
#include <unordered_set>

#include "error_state.h"

namespace aclcpu {
namespace {
std::mutex liveMutex;
std::unordered_set<const void*> liveBuffers;
std::unordered_set<const void*> liveDatasets;

bool IsLiveBuffer(const aclDataBuffer* buffer) {
    std::lock_guard<std::mutex> lock(liveMutex);
    return liveBuffers.count(buffer) != 0;
}
}  // namespace

aclError SetDatasetGear(const char* function, aclmdlDataset* dataset, int gear, std::vector<BufferView>& views) {
    aclError status = SnapshotDataset(function, "input", dataset, views);
    if (status != ACL_SUCCESS) return status;
    std::lock_guard<std::mutex> lock(liveMutex);
    dataset->gear = gear;
    return ACL_SUCCESS;
}

aclError SnapshotDataset(const char* function, const char* role, const aclmdlDataset* dataset,
                         std::vector<BufferView>& views, int* gear) {
    std::lock_guard<std::mutex> lock(liveMutex);
    if (dataset == nullptr || liveDatasets.count(dataset) == 0) {
        return Failf(ACL_ERROR_INVALID_PARAM, "%s: the %s dataset %s is not a live dataset", function, role,
                     HexPointer(dataset).c_str());
    }
    views.clear();
    views.reserve(dataset->buffers.size());
    for (size_t i = 0; i < dataset->buffers.size(); ++i) {
        const aclDataBuffer* buffer = dataset->buffers[i];
        if (liveBuffers.count(buffer) == 0) {
            return Failf(ACL_ERROR_INVALID_PARAM, "%s: %s buffer %zu (%s) was destroyed", function, role, i,
                         HexPointer(buffer).c_str());
        }
        views.push_back(BufferView{buffer->data, buffer->size});
    }
    if (gear != nullptr) *gear = dataset->gear;
    return ACL_SUCCESS;
}

}  // namespace aclcpu

using namespace aclcpu;

extern "C" aclDataBuffer* aclCreateDataBuffer(void* data, size_t size) {
    try {
        auto* buffer = new aclDataBuffer{data, size};
        std::lock_guard<std::mutex> lock(liveMutex);
        liveBuffers.insert(buffer);
        return buffer;
    } catch (...) {
        Fail(ACL_ERROR_BAD_ALLOC, "aclCreateDataBuffer: host memory exhausted");
        return nullptr;
    }
}

extern "C" aclError aclDestroyDataBuffer(const aclDataBuffer* dataBuffer) {
    {
        std::lock_guard<std::mutex> lock(liveMutex);
        if (liveBuffers.erase(dataBuffer) == 0) {
            return Failf(ACL_ERROR_INVALID_PARAM, "aclDestroyDataBuffer: %s is not a live data buffer",
                         HexPointer(dataBuffer).c_str());
        }
    }
    delete dataBuffer;
    return ACL_SUCCESS;
}

extern "C" aclError aclUpdateDataBuffer(aclDataBuffer* dataBuffer, void* data, size_t size) {
    if (!IsLiveBuffer(dataBuffer)) {
        return Failf(ACL_ERROR_INVALID_PARAM, "aclUpdateDataBuffer: %s is not a live data buffer",
                     HexPointer(dataBuffer).c_str());
    }
    dataBuffer->data = data;
    dataBuffer->size = size;
    return ACL_SUCCESS;
}

extern "C" void* aclGetDataBufferAddr(const aclDataBuffer* dataBuffer) {
    if (!IsLiveBuffer(dataBuffer)) {
        Fail(ACL_ERROR_INVALID_PARAM, "aclGetDataBufferAddr: not a live data buffer");
        return nullptr;
    }
    return dataBuffer->data;
}

extern "C" size_t aclGetDataBufferSizeV2(const aclDataBuffer* dataBuffer) {
    if (!IsLiveBuffer(dataBuffer)) {
        Fail(ACL_ERROR_INVALID_PARAM, "aclGetDataBufferSizeV2: not a live data buffer");
        return 0;
    }
    return dataBuffer->size;
}

extern "C" uint32_t aclGetDataBufferSize(const aclDataBuffer* dataBuffer) {
    return static_cast<uint32_t>(aclGetDataBufferSizeV2(dataBuffer));
}

extern "C" aclmdlDataset* aclmdlCreateDataset(void) {
    try {
        auto* dataset = new aclmdlDataset();
        std::lock_guard<std::mutex> lock(liveMutex);
        liveDatasets.insert(dataset);
        return dataset;
    } catch (...) {
        Fail(ACL_ERROR_BAD_ALLOC, "aclmdlCreateDataset: host memory exhausted");
        return nullptr;
    }
}

// As in CANN, the dataset's buffers are not destroyed with it; the caller owns them.
extern "C" aclError aclmdlDestroyDataset(const aclmdlDataset* dataset) {
    {
        std::lock_guard<std::mutex> lock(liveMutex);
        if (liveDatasets.erase(dataset) == 0) {
            return Failf(ACL_ERROR_INVALID_PARAM, "aclmdlDestroyDataset: %s is not a live dataset",
                         HexPointer(dataset).c_str());
        }
    }
    delete dataset;
    return ACL_SUCCESS;
}

extern "C" aclError aclmdlAddDatasetBuffer(aclmdlDataset* dataset, aclDataBuffer* dataBuffer) {
    try {
        std::lock_guard<std::mutex> lock(liveMutex);
        if (liveDatasets.count(dataset) == 0) {
            return Failf(ACL_ERROR_INVALID_PARAM, "aclmdlAddDatasetBuffer: %s is not a live dataset",
                         HexPointer(dataset).c_str());
        }
        if (liveBuffers.count(dataBuffer) == 0) {
            return Failf(ACL_ERROR_INVALID_PARAM, "aclmdlAddDatasetBuffer: %s is not a live data buffer",
                         HexPointer(dataBuffer).c_str());
        }
        dataset->buffers.push_back(dataBuffer);
        return ACL_SUCCESS;
    } catch (...) {
        return Fail(ACL_ERROR_BAD_ALLOC, "aclmdlAddDatasetBuffer: host memory exhausted");
    }
}

extern "C" size_t aclmdlGetDatasetNumBuffers(const aclmdlDataset* dataset) {
    std::lock_guard<std::mutex> lock(liveMutex);
    if (liveDatasets.count(dataset) == 0) {
        Fail(ACL_ERROR_INVALID_PARAM, "aclmdlGetDatasetNumBuffers: not a live dataset");
        return 0;
    }
    return dataset->buffers.size();
}

extern "C" aclDataBuffer* aclmdlGetDatasetBuffer(const aclmdlDataset* dataset, size_t index) {
    std::lock_guard<std::mutex> lock(liveMutex);
    if (liveDatasets.count(dataset) == 0) {
        Fail(ACL_ERROR_INVALID_PARAM, "aclmdlGetDatasetBuffer: not a live dataset");
        return nullptr;
    }
    if (index >= dataset->buffers.size()) {
        Failf(ACL_ERROR_INVALID_PARAM, "aclmdlGetDatasetBuffer: index %zu is out of range (the dataset has %zu)", index,
              dataset->buffers.size());
        return nullptr;
    }
    return dataset->buffers[index];
}
