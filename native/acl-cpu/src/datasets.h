// Data buffers and datasets (host-side descriptors of device memory handed to aclmdlExecute).
#pragma once

#include <cstddef>
#include <vector>

#include "acl/acl_mdl.h"

struct aclDataBuffer {
    void* data;
    size_t size;
};

struct aclmdlDataset {
    std::vector<aclDataBuffer*> buffers;
    int gear = -1;  // dynamic-dims gear chosen by aclmdlSetInputDynamicDims (-1: none)
};

namespace aclcpu {

struct BufferView {
    void* data;
    size_t size;
};

// Copies out a dataset's (address, size) pairs, failing cleanly for an unknown dataset or a destroyed buffer.
// `role` is "input" or "output" for messages.
aclError SnapshotDataset(const char* function, const char* role, const aclmdlDataset* dataset,
                         std::vector<BufferView>& views, int* gear = nullptr);

// Records the dynamic-dims gear on a live dataset and returns its buffers (to fill the dynamic-dims input).
aclError SetDatasetGear(const char* function, aclmdlDataset* dataset, int gear, std::vector<BufferView>& views);

}  // namespace aclcpu
