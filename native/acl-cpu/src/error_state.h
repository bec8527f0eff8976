// Thread-local "recent error" text behind aclGetRecentErrMsg, and the helpers every entry point uses to fail.
#pragma once

#include <cstring>
#include <string>

#include "acl/acl_base.h"

namespace aclcpu {

// Records `message` as the calling thread's recent error and returns `code`.
aclError Fail(aclError code, const std::string& message);

// printf-style variant of Fail.
aclError Failf(aclError code, const char* format, ...) __attribute__((format(printf, 2, 3)));

// The calling thread's recent error text ("" when nothing failed yet).
const std::string& RecentError();

// "0x7f..." for messages that name an address.
std::string HexPointer(const void* pointer);

// Reads an enum parameter as the int the caller passed, without assuming it is one of the enumerators.
template <typename Enum>
int AbiInt(const Enum& value) {
    static_assert(sizeof(Enum) == sizeof(int), "C enums are int-sized");
    int raw;
    std::memcpy(&raw, &value, sizeof(raw));
    return raw;
}

// Runs `body` and turns escaping C++ exceptions into ACL codes, so nothing unwinds through the C ABI.
template <typename Body>
aclError Guarded(const char* function, Body&& body) noexcept {
    try {
        return body();
    } catch (const std::bad_alloc&) {
        return Failf(ACL_ERROR_BAD_ALLOC, "%s: host memory exhausted", function);
    } catch (const std::exception& e) {
        return Failf(ACL_ERROR_INTERNAL_ERROR, "%s: internal error: %s", function, e.what());
    } catch (...) {
        return Failf(ACL_ERROR_INTERNAL_ERROR, "%s: internal error", function);
    }
}

}  // namespace aclcpu
