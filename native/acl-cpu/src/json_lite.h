// A small JSON reader for aclInit's config file: enough of RFC 8259 to walk objects and read numbers/strings.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace aclcpu {

struct JsonValue {
    enum class Kind { Null, Bool, Number, String, Array, Object };
    Kind kind = Kind::Null;
    bool boolean = false;
    double number = 0;
    std::string text;
    std::vector<JsonValue> items;
    std::map<std::string, JsonValue> members;

    const JsonValue* Find(const std::string& key) const;
};

// Parses `source`; on failure returns false and sets `error` to "line L column C: reason".
bool ParseJson(const std::string& source, JsonValue& result, std::string& error);

}  // namespace aclcpu
