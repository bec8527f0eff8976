// Protobuf wire-format walk over ModelProto.graph (7) -> GraphProto.initializer (5) -> TensorProto, and
// GraphProto.node (1) -> NodeProto output (2) / name (3). TensorProto:
// dims (1), data_type (2), name (8), external_data (13: StringStringEntryProto key 1 / value 2),
// data_location (14, EXTERNAL = 1). Field numbers are those of onnx/onnx.proto.
#include "onnx_initializers.h"

#include <cstdlib>

namespace aclcpu {
namespace {

class WireReader {
public:
    WireReader(const char* data, size_t size) : p_(reinterpret_cast<const uint8_t*>(data)), end_(p_ + size) {}

    bool AtEnd() const { return p_ >= end_; }
    bool Ok() const { return ok_; }

    bool Varint(uint64_t& value) {
        value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (p_ >= end_) return Bad();
            uint8_t byte = *p_++;
            value |= static_cast<uint64_t>(byte & 0x7F) << shift;
            if ((byte & 0x80) == 0) return true;
        }
        return Bad();
    }

    // Reads a field key; wireType 2 fields are returned as a sub-range in `data`/`size`.
    bool Next(uint32_t& field, uint32_t& wireType, uint64_t& value, const char*& data, size_t& size) {
        uint64_t key = 0;
        if (!Varint(key)) return false;
        field = static_cast<uint32_t>(key >> 3);
        wireType = static_cast<uint32_t>(key & 7);
        switch (wireType) {
            case 0: return Varint(value);
            case 1: return Skip(8);
            case 5: return Skip(4);
            case 2: {
                uint64_t length = 0;
                if (!Varint(length) || length > static_cast<uint64_t>(end_ - p_)) return Bad();
                data = reinterpret_cast<const char*>(p_);
                size = static_cast<size_t>(length);
                p_ += length;
                return true;
            }
            default: return Bad();  // groups (3, 4) are not used by ONNX
        }
    }

private:
    bool Skip(size_t bytes) {
        if (bytes > static_cast<size_t>(end_ - p_)) return Bad();
        p_ += bytes;
        return true;
    }
    bool Bad() {
        ok_ = false;
        return false;
    }

    const uint8_t* p_;
    const uint8_t* end_;
    bool ok_ = true;
};

bool ParseEntry(const char* data, size_t size, std::string& key, std::string& value) {
    WireReader reader(data, size);
    uint32_t field, wire;
    uint64_t number;
    const char* sub = nullptr;
    size_t length = 0;
    while (!reader.AtEnd()) {
        if (!reader.Next(field, wire, number, sub, length)) return false;
        if (wire != 2) continue;
        if (field == 1) key.assign(sub, length);
        if (field == 2) value.assign(sub, length);
    }
    return true;
}

bool ParseUnsigned(const std::string& text, uint64_t& value) {
    if (text.empty()) return false;
    char* end = nullptr;
    value = std::strtoull(text.c_str(), &end, 10);
    return end != nullptr && *end == '\0';
}

bool ParseTensor(const char* data, size_t size, std::vector<ExternalInitializer>& out, std::string& error) {
    WireReader reader(data, size);
    ExternalInitializer tensor;
    bool external = false;
    uint32_t field, wire;
    uint64_t number = 0;
    const char* sub = nullptr;
    size_t length = 0;
    while (!reader.AtEnd()) {
        if (!reader.Next(field, wire, number, sub, length)) {
            error = "malformed TensorProto";
            return false;
        }
        if (field == 1 && wire == 0) {
            tensor.dims.push_back(static_cast<int64_t>(number));
        } else if (field == 1 && wire == 2) {  // packed dims
            WireReader packed(sub, length);
            while (!packed.AtEnd()) {
                if (!packed.Varint(number)) {
                    error = "malformed TensorProto.dims";
                    return false;
                }
                tensor.dims.push_back(static_cast<int64_t>(number));
            }
        } else if (field == 2 && wire == 0) {
            tensor.onnxType = static_cast<int>(number);
        } else if (field == 8 && wire == 2) {
            tensor.name.assign(sub, length);
        } else if (field == 14 && wire == 0) {
            external = number == 1;
        } else if (field == 13 && wire == 2) {
            std::string key, value;
            if (!ParseEntry(sub, length, key, value)) {
                error = "malformed TensorProto.external_data entry";
                return false;
            }
            uint64_t parsed = 0;
            if (key == "location") {
                tensor.location = value;
            } else if ((key == "offset" || key == "length") && !ParseUnsigned(value, parsed)) {
                error = "initializer '" + tensor.name + "': external_data " + key + " '" + value + "' is not a number";
                return false;
            } else if (key == "offset") {
                tensor.offset = parsed;
            } else if (key == "length") {
                tensor.length = parsed;
            }
        }
    }
    if (external) {
        if (tensor.location.empty()) {
            error = "initializer '" + tensor.name + "' is external but names no location";
            return false;
        }
        out.push_back(std::move(tensor));
    }
    return true;
}

}  // namespace

namespace {

// The main graph's bytes (ModelProto field 7); found = false when the model has none.
bool FindGraph(const std::string& modelBytes, const char*& graph, size_t& graphSize, bool& found, std::string& error) {
    WireReader model(modelBytes.data(), modelBytes.size());
    uint32_t field, wire;
    uint64_t number = 0;
    found = false;
    while (!model.AtEnd()) {
        const char* sub = nullptr;
        size_t length = 0;
        if (!model.Next(field, wire, number, sub, length)) {
            error = "not an ONNX ModelProto";
            return false;
        }
        if (field == 7 && wire == 2) {
            graph = sub;
            graphSize = length;
            found = true;
        }
    }
    return true;
}

// Calls `visit(field, data, size)` for every length-delimited field of the main graph.
template <typename Visit>
bool ForEachGraphField(const std::string& modelBytes, std::string& error, Visit visit) {
    const char* graph = nullptr;
    size_t graphSize = 0;
    bool found = false;
    if (!FindGraph(modelBytes, graph, graphSize, found, error)) return false;
    if (!found) return true;  // no graph: nothing to read (ONNX Runtime will refuse the file)
    WireReader reader(graph, graphSize);
    uint32_t field, wire;
    uint64_t number = 0;
    while (!reader.AtEnd()) {
        const char* sub = nullptr;
        size_t length = 0;
        if (!reader.Next(field, wire, number, sub, length)) {
            error = "malformed GraphProto";
            return false;
        }
        if (wire == 2 && !visit(field, sub, length)) return false;
    }
    return true;
}

bool ParseNode(const char* data, size_t size, std::map<std::string, std::string>& producers, std::string& error) {
    WireReader reader(data, size);
    uint32_t field, wire;
    uint64_t number;
    std::string name;
    std::vector<std::string> outputs;
    while (!reader.AtEnd()) {
        const char* sub = nullptr;
        size_t length = 0;
        if (!reader.Next(field, wire, number, sub, length)) {
            error = "malformed NodeProto";
            return false;
        }
        if (field == 2 && wire == 2) outputs.emplace_back(sub, length);
        if (field == 3 && wire == 2) name.assign(sub, length);
    }
    for (size_t i = 0; i < outputs.size(); ++i) producers[outputs[i]] = name + ":" + std::to_string(i);
    return true;
}

}  // namespace

bool ReadExternalInitializers(const std::string& modelBytes, std::vector<ExternalInitializer>& initializers,
                              std::string& error) {
    return ForEachGraphField(modelBytes, error, [&](uint32_t field, const char* data, size_t size) {
        return field != 5 || ParseTensor(data, size, initializers, error);
    });
}

bool ReadValueProducers(const std::string& modelBytes, std::map<std::string, std::string>& producers,
                        std::string& error) {
    return ForEachGraphField(modelBytes, error, [&](uint32_t field, const char* data, size_t size) {
        return field != 1 || ParseNode(data, size, producers, error);
    });
}

}  // namespace aclcpu
