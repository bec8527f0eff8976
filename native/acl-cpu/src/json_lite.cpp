#include "json_lite.h"

#include <cstdlib>

namespace aclcpu {

const JsonValue* JsonValue::Find(const std::string& key) const {
    if (kind != Kind::Object) return nullptr;
    auto it = members.find(key);
    return it == members.end() ? nullptr : &it->second;
}

namespace {

class Parser {
public:
    explicit Parser(const std::string& source) : source_(source) {}

    bool Parse(JsonValue& value, std::string& error) {
        bool ok = ParseValue(value, 0) && (SkipSpace(), position_ == source_.size() || Error("trailing characters"));
        if (!ok) error = error_;
        return ok;
    }

private:
    static constexpr int kMaxDepth = 64;

    bool Error(const char* reason) {
        size_t line = 1, column = 1;
        for (size_t i = 0; i < position_ && i < source_.size(); ++i) {
            if (source_[i] == '\n') { ++line; column = 1; } else { ++column; }
        }
        error_ = "line " + std::to_string(line) + " column " + std::to_string(column) + ": " + reason;
        return false;
    }

    void SkipSpace() {
        while (position_ < source_.size() &&
               (source_[position_] == ' ' || source_[position_] == '\t' || source_[position_] == '\n' ||
                source_[position_] == '\r')) {
            ++position_;
        }
    }

    bool Literal(const char* word) {
        size_t length = std::char_traits<char>::length(word);
        if (source_.compare(position_, length, word) != 0) return Error("unexpected token");
        position_ += length;
        return true;
    }

    bool ParseValue(JsonValue& value, int depth) {
        if (depth > kMaxDepth) return Error("nesting too deep");
        SkipSpace();
        if (position_ >= source_.size()) return Error("unexpected end of input");
        char c = source_[position_];
        if (c == '{') return ParseObject(value, depth);
        if (c == '[') return ParseArray(value, depth);
        if (c == '"') { value.kind = JsonValue::Kind::String; return ParseString(value.text); }
        if (c == 't') { value.kind = JsonValue::Kind::Bool; value.boolean = true; return Literal("true"); }
        if (c == 'f') { value.kind = JsonValue::Kind::Bool; value.boolean = false; return Literal("false"); }
        if (c == 'n') { value.kind = JsonValue::Kind::Null; return Literal("null"); }
        return ParseNumber(value);
    }

    bool ParseObject(JsonValue& value, int depth) {
        value.kind = JsonValue::Kind::Object;
        ++position_;
        SkipSpace();
        if (position_ < source_.size() && source_[position_] == '}') { ++position_; return true; }
        while (true) {
            SkipSpace();
            if (position_ >= source_.size() || source_[position_] != '"') return Error("expected a member name");
            std::string key;
            if (!ParseString(key)) return false;
            SkipSpace();
            if (position_ >= source_.size() || source_[position_] != ':') return Error("expected ':'");
            ++position_;
            if (!ParseValue(value.members[key], depth + 1)) return false;
            SkipSpace();
            if (position_ < source_.size() && source_[position_] == ',') { ++position_; continue; }
            if (position_ < source_.size() && source_[position_] == '}') { ++position_; return true; }
            return Error("expected ',' or '}'");
        }
    }

    bool ParseArray(JsonValue& value, int depth) {
        value.kind = JsonValue::Kind::Array;
        ++position_;
        SkipSpace();
        if (position_ < source_.size() && source_[position_] == ']') { ++position_; return true; }
        while (true) {
            value.items.emplace_back();
            if (!ParseValue(value.items.back(), depth + 1)) return false;
            SkipSpace();
            if (position_ < source_.size() && source_[position_] == ',') { ++position_; continue; }
            if (position_ < source_.size() && source_[position_] == ']') { ++position_; return true; }
            return Error("expected ',' or ']'");
        }
    }

    // Escapes are kept simple: \uXXXX outside ASCII becomes '?', which is enough for config keys and paths.
    bool ParseString(std::string& out) {
        ++position_;
        while (position_ < source_.size()) {
            char c = source_[position_++];
            if (c == '"') return true;
            if (static_cast<unsigned char>(c) < 0x20) return Error("control character in string");
            if (c != '\\') { out.push_back(c); continue; }
            if (position_ >= source_.size()) break;
            char e = source_[position_++];
            switch (e) {
                case '"': case '\\': case '/': out.push_back(e); break;
                case 'b': out.push_back('\b'); break;
                case 'f': out.push_back('\f'); break;
                case 'n': out.push_back('\n'); break;
                case 'r': out.push_back('\r'); break;
                case 't': out.push_back('\t'); break;
                case 'u': {
                    if (position_ + 4 > source_.size()) return Error("short \\u escape");
                    long code = std::strtol(source_.substr(position_, 4).c_str(), nullptr, 16);
                    position_ += 4;
                    out.push_back(code < 0x80 ? static_cast<char>(code) : '?');
                    break;
                }
                default: return Error("unknown escape");
            }
        }
        return Error("unterminated string");
    }

    bool ParseNumber(JsonValue& value) {
        const char* start = source_.c_str() + position_;
        char* end = nullptr;
        value.number = std::strtod(start, &end);
        if (end == start) return Error("unexpected character");
        value.kind = JsonValue::Kind::Number;
        position_ += static_cast<size_t>(end - start);
        return true;
    }

    const std::string& source_;
    size_t position_ = 0;
    std::string error_;
};

}  // namespace

bool ParseJson(const std::string& source, JsonValue& result, std::string& error) {
    result = JsonValue();
    return Parser(source).Parse(result, error);
}

}  // namespace aclcpu
