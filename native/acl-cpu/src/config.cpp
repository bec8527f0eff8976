#include "config.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include "error_state.h"
#include "json_lite.h"

namespace aclcpu {
namespace {

bool ReadWholeNumber(const JsonValue& value, double min, double max, uint64_t& out) {
    if (value.kind != JsonValue::Kind::Number) return false;
    double n = value.number;
    if (n < min || n > max || std::floor(n) != n) return false;
    out = static_cast<uint64_t>(n);
    return true;
}

}  // namespace

aclError LoadConfig(const char* path, Config& config) {
    config = Config();
    if (path == nullptr || path[0] == '\0') return ACL_SUCCESS;
    std::ifstream file(path, std::ios::binary);
    if (!file) return Failf(ACL_ERROR_INVALID_FILE, "aclInit: cannot open config file '%s'", path);
    std::stringstream content;
    content << file.rdbuf();
    JsonValue root;
    std::string error;
    if (!ParseJson(content.str(), root, error)) {
        return Failf(ACL_ERROR_PARSE_FILE, "aclInit: config file '%s' is not valid JSON: %s", path, error.c_str());
    }
    if (root.kind != JsonValue::Kind::Object) {
        return Failf(ACL_ERROR_PARSE_FILE, "aclInit: config file '%s' must hold a JSON object", path);
    }
    // CANN's own keys (dump, profiler, err_msg_mode, ...) are accepted and ignored; ours live under "aio_cpu".
    const JsonValue* section = root.Find("aio_cpu");
    if (section == nullptr) return ACL_SUCCESS;
    if (section->kind != JsonValue::Kind::Object) {
        return Failf(ACL_ERROR_FILE_ATTR_INVALID, "aclInit: '%s': \"aio_cpu\" must be an object", path);
    }
    uint64_t number = 0;
    if (const JsonValue* v = section->Find("device_count")) {
        if (!ReadWholeNumber(*v, 1, 64, number)) {
            return Failf(ACL_ERROR_FILE_ATTR_INVALID, "aclInit: '%s': aio_cpu.device_count must be an integer in 1..64",
                         path);
        }
        config.deviceCount = static_cast<uint32_t>(number);
    }
    if (const JsonValue* v = section->Find("device_memory_bytes")) {
        if (!ReadWholeNumber(*v, 1, 9.0e15, number)) {
            return Failf(ACL_ERROR_FILE_ATTR_INVALID,
                         "aclInit: '%s': aio_cpu.device_memory_bytes must be a positive integer", path);
        }
        config.deviceMemoryBytes = number;
    }
    if (const JsonValue* v = section->Find("soc_name")) {
        if (v->kind != JsonValue::Kind::String || v->text.empty()) {
            return Failf(ACL_ERROR_FILE_ATTR_INVALID, "aclInit: '%s': aio_cpu.soc_name must be a non-empty string",
                         path);
        }
        config.socName = v->text;
    }
    return ACL_SUCCESS;
}

}  // namespace aclcpu
