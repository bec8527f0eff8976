// Gears from the atc strings: --input_shape "name:d,d;name:d,-1" and --dynamic_dims "v,v;v,v", one value per -1
// in input order (CANN ATC documentation, --dynamic_dims; at most 100 gears, dims of all inputs concatenated in
// one aclmdlIODims of ACL_MAX_DIM_CNT slots).
#include "dynamic_dims.h"

#include <map>
#include <sstream>

#include "data_types.h"
#include "error_state.h"

namespace aclcpu {
namespace {

std::vector<std::string> SplitOn(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::stringstream stream(text);
    std::string part;
    while (std::getline(stream, part, separator)) parts.push_back(part);
    return parts;
}

bool ParseInt(const std::string& text, int64_t& value) {
    try {
        size_t used = 0;
        value = std::stoll(text, &used);
        return used == text.size();
    } catch (...) {
        return false;
    }
}

std::string Metadata(Ort::Session& session, const char* key) {
    Ort::AllocatorWithDefaultOptions allocator;
    Ort::ModelMetadata metadata = session.GetModelMetadata();
    auto value = metadata.LookupCustomMetadataMapAllocated(key, allocator);
    return value ? std::string(value.get()) : std::string();
}

size_t Bytes(const std::vector<int64_t>& dims, aclDataType type) {
    size_t elements = 1;
    for (int64_t d : dims) elements *= static_cast<size_t>(d);
    return elements * ElementSize(type);
}

}  // namespace

aclError ReadDynamicDims(const char* function, const std::string& source, Ort::Session& session, ModelInfo& info) {
    bool symbolic = false;
    for (const auto* tensors : {&info.inputs, &info.outputs})
        for (const auto& t : *tensors)
            for (int64_t d : t.dims) symbolic = symbolic || d < 0;
    std::string shapeText = Metadata(session, kInputShapeKey), gearText = Metadata(session, kDynamicDimsKey);
    if (shapeText.empty() || gearText.empty()) {
        if (!symbolic) return ACL_SUCCESS;
        return Failf(ACL_ERROR_FEATURE_UNSUPPORTED, "%s: '%s' has dynamic dimensions but no dynamic-dims gears (%s, "
                     "%s metadata); CANN compiles a graph only at fixed shapes or declared gears", function,
                     source.c_str(), kInputShapeKey, kDynamicDimsKey);
    }
    auto fail = [&](const std::string& why) {
        return Failf(ACL_ERROR_PARSE_MODEL, "%s: '%s': dynamic-dims gears do not fit the graph: %s", function,
                     source.c_str(), why.c_str());
    };
    // --input_shape: every graph input, in order, with its declared dims (-1 = set by the gear).
    auto entries = SplitOn(shapeText, ';');
    if (entries.size() != info.inputs.size()) return fail("input_shape names " + std::to_string(entries.size()) + " inputs, the graph has " + std::to_string(info.inputs.size()));
    size_t dynamicCount = 0, totalRank = 0;
    for (size_t i = 0; i < entries.size(); ++i) {
        size_t colon = entries[i].rfind(':');
        TensorInfo& input = info.inputs[i];
        if (colon == std::string::npos || entries[i].substr(0, colon) != input.ortName) return fail("input_shape entry '" + entries[i] + "' is not input " + std::to_string(i) + " '" + input.ortName + "'");
        auto dims = SplitOn(entries[i].substr(colon + 1), ',');
        if (dims.size() != input.dims.size()) return fail("input '" + input.ortName + "' has rank " + std::to_string(input.dims.size()));
        for (size_t d = 0; d < dims.size(); ++d) {
            int64_t value = 0;
            if (!ParseInt(dims[d], value) || value == 0 || value < -1) return fail("input '" + input.ortName + "': bad dim '" + dims[d] + "'");
            if (input.dims[d] >= 0 && value != input.dims[d]) return fail("input '" + input.ortName + "' dim " + std::to_string(d) + " is fixed at " + std::to_string(input.dims[d]));
            input.dims[d] = value;
            dynamicCount += value == -1 ? 1 : 0;
        }
        totalRank += dims.size();
    }
    if (totalRank > ACL_MAX_DIM_CNT) return fail("the inputs have " + std::to_string(totalRank) + " dims in all; a gear's aclmdlIODims holds " + std::to_string(ACL_MAX_DIM_CNT));
    auto profiles = SplitOn(gearText, ';');
    if (profiles.size() < 2 || profiles.size() > 100) return fail("atc takes 2 to 100 gears, not " + std::to_string(profiles.size()));
    for (const auto& profile : profiles) {
        auto values = SplitOn(profile, ',');
        if (values.size() != dynamicCount) return fail("gear '" + profile + "' has " + std::to_string(values.size()) + " values for " + std::to_string(dynamicCount) + " dynamic dims");
        Gear gear;
        std::map<std::string, int64_t> symbols;
        size_t next = 0;
        for (const auto& input : info.inputs) {
            std::vector<int64_t> dims = input.dims;
            for (size_t d = 0; d < dims.size(); ++d) {
                if (dims[d] == -1 && (!ParseInt(values[next++], dims[d]) || dims[d] < 1)) return fail("gear '" + profile + "' has a bad value");
                const std::string& symbol = input.symbols[d];
                if (symbol.empty()) continue;
                auto [it, added] = symbols.emplace(symbol, dims[d]);
                if (!added && it->second != dims[d]) return fail("gear '" + profile + "' gives '" + symbol + "' two values");
            }
            gear.dims.insert(gear.dims.end(), dims.begin(), dims.end());
            gear.inputBytes.push_back(Bytes(dims, input.type));
            gear.inputDims.push_back(std::move(dims));
        }
        for (auto& output : info.outputs) {
            std::vector<int64_t> dims = output.dims;
            for (size_t d = 0; d < dims.size(); ++d) {
                if (dims[d] >= 0) continue;
                auto it = symbols.find(output.symbols[d]);
                if (it == symbols.end()) return fail("output '" + output.ortName + "' dim " + std::to_string(d) + " ('" + output.symbols[d] + "') is set by no input");
                dims[d] = it->second;
            }
            gear.outputBytes.push_back(Bytes(dims, output.type));
            gear.outputDims.push_back(std::move(dims));
        }
        info.gears.push_back(std::move(gear));
    }
    // Reported sizes cover the largest gear, as aclmdlGetInputSizeByIndex does for a dynamic-dims model.
    for (size_t i = 0; i < info.inputs.size(); ++i)
        for (const auto& g : info.gears) info.inputs[i].bytes = std::max(info.inputs[i].bytes, g.inputBytes[i]);
    for (size_t i = 0; i < info.outputs.size(); ++i)
        for (const auto& g : info.gears) info.outputs[i].bytes = std::max(info.outputs[i].bytes, g.outputBytes[i]);
    // atc's extra input: the chosen gear's dims (int64), written by aclmdlSetInputDynamicDims.
    TensorInfo extra;
    extra.name = extra.ortName = ACL_DYNAMIC_TENSOR_NAME;
    extra.type = ACL_INT64;
    extra.dims = {static_cast<int64_t>(totalRank)};
    extra.symbols = {""};
    extra.bytes = totalRank * sizeof(int64_t);
    info.dynamicInput = info.inputs.size();
    info.inputs.push_back(extra);
    for (auto& g : info.gears) {
        g.inputDims.push_back(extra.dims);
        g.inputBytes.push_back(extra.bytes);
    }
    return ACL_SUCCESS;
}

}  // namespace aclcpu
