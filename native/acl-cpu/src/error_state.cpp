#include "error_state.h"

#include <cstdarg>
#include <cstdio>
#include <vector>

#include "acl/acl_rt.h"

namespace aclcpu {
namespace {
thread_local std::string recentError;
}

aclError Fail(aclError code, const std::string& message) {
    recentError = message;
    return code;
}

aclError Failf(aclError code, const char* format, ...) {
    va_list args;
    va_start(args, format);
    va_list copy;
    va_copy(copy, args);
    int length = std::vsnprintf(nullptr, 0, format, copy);
    va_end(copy);
    std::vector<char> text(length > 0 ? static_cast<size_t>(length) + 1 : 1, '\0');
    if (length > 0) std::vsnprintf(text.data(), text.size(), format, args);
    va_end(args);
    recentError.assign(text.data());
    return code;
}

const std::string& RecentError() { return recentError; }

std::string HexPointer(const void* pointer) {
    char text[32];
    std::snprintf(text, sizeof(text), "%p", pointer);
    return text;
}

}  // namespace aclcpu

extern "C" const char* aclGetRecentErrMsg(void) { return aclcpu::RecentError().c_str(); }
