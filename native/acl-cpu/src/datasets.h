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
};

namespace aclcpu {

struct BufferView {
    void* data;
    size_t size;
};

// Copies out a dataset's (address, size) pairs, failing cleanly for an unknown dataset or a destroyed buffer.
// `role` is "input" or "output" for messages.
aclError SnapshotDataset(const char* function, const char* role, const aclmdlDataset* dataset,
                         std::vector<BufferView>& views);

}  // namespace aclcpu
