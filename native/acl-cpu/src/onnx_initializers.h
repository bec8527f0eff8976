// Reads which initializers of an ONNX file keep their data in external files (location, offset, length),
// straight from the protobuf wire format: the device needs this before ONNX Runtime opens the graph.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace aclcpu {

struct ExternalInitializer {
    std::string name;
    std::string location;  // relative to the graph file's directory
    uint64_t offset = 0;
    uint64_t length = 0;   // 0 when the entry omits it (= to the end of the file)
    int onnxType = 0;      // TensorProto.DataType
    std::vector<int64_t> dims;
};

// Lists the main graph's initializers whose data_location is EXTERNAL. Returns false with `error` set when the
// bytes are not a well-formed ModelProto (ONNX Runtime reports the details when it loads the file).
bool ReadExternalInitializers(const std::string& modelBytes, std::vector<ExternalInitializer>& initializers,
                              std::string& error);

// Maps every value a node of the main graph produces to "node_name:output_index" (NodeProto name 3, output 2):
// what CANN prefixes an ONNX model's output names with. Returns false with `error` set on malformed bytes.
bool ReadValueProducers(const std::string& modelBytes, std::map<std::string, std::string>& producers,
                        std::string& error);

}  // namespace aclcpu
