// A tiny protobuf wire-format writer that builds ONNX models in memory (no protobuf or python needed).
// Field numbers are those of onnx/onnx.proto (ModelProto, GraphProto, NodeProto, ValueInfoProto,
// TypeProto, TensorShapeProto, TensorProto, OperatorSetIdProto).
#pragma once

#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace onnxbuild {

constexpr int kFloat = 1;  // TensorProto.DataType.FLOAT
constexpr int kInt64 = 7;  // TensorProto.DataType.INT64

class Message {
public:
    Message& Int(int field, int64_t value) {
        Key(field, 0);
        Varint(static_cast<uint64_t>(value));
        return *this;
    }
    Message& Bytes(int field, const std::string& value) {
        Key(field, 2);
        Varint(value.size());
        bytes_ += value;
        return *this;
    }
    Message& Sub(int field, const Message& message) { return Bytes(field, message.bytes_); }
    const std::string& Data() const { return bytes_; }

private:
    void Key(int field, int wireType) { Varint(static_cast<uint64_t>(field) << 3 | static_cast<uint64_t>(wireType)); }
    void Varint(uint64_t value) {
        while (value >= 0x80) {
            bytes_.push_back(static_cast<char>((value & 0x7F) | 0x80));
            value >>= 7;
        }
        bytes_.push_back(static_cast<char>(value));
    }
    std::string bytes_;
};

// ValueInfoProto; a negative dim becomes a symbolic dimension (dim_param "n").
inline Message ValueInfo(const std::string& name, int elemType, const std::vector<int64_t>& dims) {
    Message shape;
    for (int64_t d : dims) {
        Message dimension;
        if (d >= 0) dimension.Int(1, d); else dimension.Bytes(2, "n");
        shape.Sub(1, dimension);
    }
    Message tensorType;
    tensorType.Int(1, elemType).Sub(2, shape);
    Message type;
    type.Sub(1, tensorType);
    Message info;
    info.Bytes(1, name).Sub(2, type);
    return info;
}

inline Message FloatTensor(const std::string& name, const std::vector<int64_t>& dims, const std::vector<float>& values) {
    Message tensor;
    for (int64_t d : dims) tensor.Int(1, d);
    tensor.Int(2, kFloat).Bytes(8, name);
    std::string raw(values.size() * sizeof(float), '\0');
    std::memcpy(&raw[0], values.data(), raw.size());  // little-endian host, as raw_data requires
    tensor.Bytes(9, raw);
    return tensor;
}

// A float initializer whose data lives in an external file (TensorProto.external_data + data_location EXTERNAL).
inline Message ExternalFloatTensor(const std::string& name, const std::vector<int64_t>& dims, const std::string& location,
                                   size_t offset) {
    size_t elements = 1;
    for (int64_t d : dims) elements *= static_cast<size_t>(d);
    Message tensor;
    for (int64_t d : dims) tensor.Int(1, d);
    tensor.Int(2, kFloat).Bytes(8, name);
    for (const auto& [key, value] : {std::pair<std::string, std::string>{"location", location},
                                     {"offset", std::to_string(offset)},
                                     {"length", std::to_string(elements * sizeof(float))}}) {
        Message entry;
        entry.Bytes(1, key).Bytes(2, value);
        tensor.Sub(13, entry);
    }
    tensor.Int(14, 1);
    return tensor;
}

inline Message Node(const std::string& opType, const std::vector<std::string>& inputs,
                    const std::vector<std::string>& outputs) {
    Message node;
    for (const auto& input : inputs) node.Bytes(1, input);
    for (const auto& output : outputs) node.Bytes(2, output);
    node.Bytes(3, opType + "_" + (outputs.empty() ? std::string() : outputs[0]));   // NodeProto.name
    node.Bytes(4, opType);
    return node;
}

// ModelProto with ir_version 7 and the default-domain opset 13.
inline std::string Model(const std::vector<Message>& nodes, const std::vector<Message>& initializers,
                         const std::vector<Message>& inputs, const std::vector<Message>& outputs) {
    Message graph;
    for (const auto& node : nodes) graph.Sub(1, node);
    graph.Bytes(2, "test_graph");
    for (const auto& initializer : initializers) graph.Sub(5, initializer);
    for (const auto& input : inputs) graph.Sub(11, input);
    for (const auto& output : outputs) graph.Sub(12, output);
    Message opset;
    opset.Bytes(1, "").Int(2, 13);
    Message model;
    model.Int(1, 7).Sub(8, opset).Sub(7, graph);
    return model.Data();
}

// y[2,4] = x[2,3] @ W + b with W[i][j] = i + j and b[j] = j / 10.
inline std::string MatMulAddModel() {
    std::vector<float> w(12), b(4);
    for (int i = 0; i < 3; ++i) for (int j = 0; j < 4; ++j) w[i * 4 + j] = static_cast<float>(i + j);
    for (int j = 0; j < 4; ++j) b[j] = static_cast<float>(j) / 10.0f;
    return Model({Node("MatMul", {"x", "W"}, {"xw"}), Node("Add", {"xw", "b"}, {"y"})},
                 {FloatTensor("W", {3, 4}, w), FloatTensor("b", {4}, b)}, {ValueInfo("x", kFloat, {2, 3})},
                 {ValueInfo("y", kFloat, {2, 4})});
}

// MatMulAddModel with W and b in an external file: W at byte 0, b at 64 KiB (the bundle exporter's alignment).
constexpr size_t kExternalBiasOffset = 64 * 1024;

inline std::string MatMulAddExternalModel(const std::string& location) {
    return Model({Node("MatMul", {"x", "W"}, {"xw"}), Node("Add", {"xw", "b"}, {"y"})},
                 {ExternalFloatTensor("W", {3, 4}, location, 0), ExternalFloatTensor("b", {4}, location, kExternalBiasOffset)},
                 {ValueInfo("x", kFloat, {2, 3})}, {ValueInfo("y", kFloat, {2, 4})});
}

// The external file MatMulAddExternalModel reads: W[i][j] = i + j, b[j] = j / 10, as in MatMulAddModel.
inline std::string MatMulAddWeightsFile() {
    std::string bytes(kExternalBiasOffset + 4 * sizeof(float), '\0');
    for (int i = 0; i < 3; ++i) {
        for (int j = 0; j < 4; ++j) {
            float w = static_cast<float>(i + j);
            std::memcpy(&bytes[(i * 4 + j) * sizeof(float)], &w, sizeof(float));
        }
    }
    for (int j = 0; j < 4; ++j) {
        float b = static_cast<float>(j) / 10.0f;
        std::memcpy(&bytes[kExternalBiasOffset + j * sizeof(float)], &b, sizeof(float));
    }
    return bytes;
}

// c[n] = a[n] + b[n]
inline std::string AddModel(int64_t n) {
    return Model({Node("Add", {"a", "b"}, {"c"})}, {}, {ValueInfo("a", kFloat, {n}), ValueInfo("b", kFloat, {n})},
                 {ValueInfo("c", kFloat, {n})});
}

// An Add whose input has a symbolic dimension: the device must refuse it (static graphs only).
inline std::string DynamicAddModel() {
    return Model({Node("Add", {"a", "a"}, {"c"})}, {}, {ValueInfo("a", kFloat, {-1})}, {ValueInfo("c", kFloat, {-1})});
}

// y[2,2] = Reshape(x[4], shape[2]): shape data other than (2,2) makes ONNX Runtime fail at run time.
inline std::string ReshapeModel() {
    return Model({Node("Reshape", {"x", "shape"}, {"y"})}, {},
                 {ValueInfo("x", kFloat, {4}), ValueInfo("shape", kInt64, {2})}, {ValueInfo("y", kFloat, {2, 2})});
}

inline bool WriteFile(const std::string& path, const std::string& bytes) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return static_cast<bool>(file);
}

}  // namespace onnxbuild
