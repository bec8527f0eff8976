// External-data files (a bundle's weights.bin) shared by every graph that references them: one read-only
// mapping per file, one ORT value per tensor over that mapping and one prepacked-weights container. Device memory
// is charged per loaded model (models.cpp), as CANN gives every loaded model its own weight memory.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <onnxruntime_cxx_api.h>

#include "acl/acl_base.h"
#include "onnx_initializers.h"

namespace aclcpu {

class WeightFile {
public:
    // `identity` is (device, inode, size, mtime) of the file mapped: a file rewritten in place gets a new mapping.
    WeightFile(std::string path, void* base, uint64_t size, std::string identity);
    ~WeightFile();  // unmaps; every session using the values is gone by then
    WeightFile(const WeightFile&) = delete;
    WeightFile& operator=(const WeightFile&) = delete;

    const std::string& Path() const { return path_; }  // canonical
    uint64_t Size() const { return size_; }
    const std::string& Identity() const { return identity_; }

    // The tensor as an ORT value over the mapping, created once and shared by every session (sessions take it
    // through AddInitializer, so ORT neither copies nor frees it). nullptr when the slice cannot be used in
    // place (element type without a byte size, misaligned offset); `error` is set when the entry is invalid.
    const OrtValue* Tensor(const ExternalInitializer& tensor, std::string& error);

    // Pre-packed copies of these weights (MLAS GEMM panels) made by one session and reused by the others.
    OrtPrepackedWeightsContainer* Prepacked() { return prepacked_; }

    // Drops the mapping's resident pages from this process (MADV_DONTNEED): once a session has pre-packed its
    // GEMM weights it never reads their originals again, so keeping them mapped would count the weights twice.
    // The pages stay in the page cache; tensors still read in place (embedding rows, norms) fault back on use.
    void DropResidentPages();

private:
    const std::string path_;
    void* const base_;
    const uint64_t size_;
    const std::string identity_;
    std::mutex mutex_;
    std::map<std::string, Ort::Value> values_;  // key: name '@' offset
    Ort::PrepackedWeightsContainer prepacked_;
};

// Finds the live mapping of `path` (by canonical path) or maps it read-only. `role` names the referrer in
// errors ("'<graph>': initializer 'w'"). ACL_ERROR_READ_MODEL_FAILURE when the file cannot be opened or mapped.
aclError AcquireWeightFile(const char* function, const std::string& path, const std::string& role,
                           std::shared_ptr<WeightFile>& file);

}  // namespace aclcpu
