#include "weight_files.h"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "data_types.h"
#include "error_state.h"
#include "memory_registry.h"
#include "ort_env.h"

namespace aclcpu {
namespace {

std::mutex filesMutex;
std::map<std::string, std::weak_ptr<WeightFile>> files;  // canonical path -> live mapping

std::string FileIdentity(const struct stat& info) {
    return std::to_string(info.st_dev) + ":" + std::to_string(info.st_ino) + ":" + std::to_string(info.st_size) + ":" +
           std::to_string(info.st_mtim.tv_sec) + "." + std::to_string(info.st_mtim.tv_nsec);
}

}  // namespace

WeightFile::WeightFile(std::string path, void* base, uint64_t size, std::string identity)
    : path_(std::move(path)), base_(base), size_(size), identity_(std::move(identity)) {}

WeightFile::~WeightFile() {
    values_.clear();
    if (base_ != nullptr) munmap(base_, static_cast<size_t>(size_));
}

const OrtValue* WeightFile::Tensor(const ExternalInitializer& tensor, std::string& error) {
    size_t elementSize = ElementSize(FromOnnxElementType(tensor.onnxType));
    if (elementSize == 0 || tensor.offset % elementSize != 0) return nullptr;  // ORT reads such tensors itself
    uint64_t elements = 1;
    for (int64_t d : tensor.dims) {
        if (d < 0) return nullptr;
        elements *= static_cast<uint64_t>(d);
    }
    uint64_t bytes = elements * elementSize;
    if ((tensor.length != 0 && tensor.length != bytes) || tensor.offset > size_ || bytes > size_ - tensor.offset) {
        error = "initializer '" + tensor.name + "' claims bytes " + std::to_string(tensor.offset) + ".." +
                std::to_string(tensor.offset + (tensor.length != 0 ? tensor.length : bytes)) + " of '" + path_ +
                "' (" + std::to_string(size_) + " bytes) but its shape needs " + std::to_string(bytes);
        return nullptr;
    }
    std::string key = tensor.name + "@" + std::to_string(tensor.offset);
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = values_.find(key);
    if (it == values_.end()) {
        // The mapping is PROT_READ: ORT treats initializers as constant, and a stray write would fault, not corrupt.
        void* data = static_cast<char*>(base_) + tensor.offset;
        it = values_.emplace(key, Ort::Value::CreateTensor(CpuMemoryInfo(), data, static_cast<size_t>(bytes),
                                                           tensor.dims.data(), tensor.dims.size(),
                                                           static_cast<ONNXTensorElementDataType>(tensor.onnxType)))
                 .first;
    }
    return it->second;
}

void WeightFile::DropResidentPages() {
    // A read-only private file mapping has no private pages, so this loses nothing: later reads refault from the file.
    madvise(base_, static_cast<size_t>(size_), MADV_DONTNEED);
}

aclError AcquireWeightFile(const char* function, const std::string& path, const std::string& role,
                           std::shared_ptr<WeightFile>& file) {
    char resolved[PATH_MAX];
    if (realpath(path.c_str(), resolved) == nullptr) {
        return Failf(ACL_ERROR_READ_MODEL_FAILURE, "%s: %s: external data file '%s' cannot be opened: %s", function,
                     role.c_str(), path.c_str(), std::strerror(errno));
    }
    std::string canonical(resolved);
    std::lock_guard<std::mutex> lock(filesMutex);
    int fd = open(canonical.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat info;
    if (fd < 0 || fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) || info.st_size <= 0) {
        int saved = errno;
        if (fd >= 0) close(fd);
        return Failf(ACL_ERROR_READ_MODEL_FAILURE, "%s: %s: external data file '%s' is not a readable non-empty file (%s)",
                     function, role.c_str(), canonical.c_str(), std::strerror(saved));
    }
    auto it = files.find(canonical);
    if (it != files.end()) {
        file = it->second.lock();
        if (file && file->Identity() == FileIdentity(info)) {
            close(fd);
            return ACL_SUCCESS;
        }
    }
    void* base = mmap(nullptr, static_cast<size_t>(info.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    int saved = errno;
    close(fd);  // the mapping keeps the file
    if (base == MAP_FAILED) {
        return Failf(ACL_ERROR_READ_MODEL_FAILURE, "%s: %s: cannot map '%s': %s", function, role.c_str(),
                     canonical.c_str(), std::strerror(saved));
    }
    file = std::make_shared<WeightFile>(canonical, base, static_cast<uint64_t>(info.st_size), FileIdentity(info));
    files[canonical] = file;
    return ACL_SUCCESS;
}

}  // namespace aclcpu
