using AscendAio.Engine.Bundles;
using AscendAio.Engine.Models;
using AscendAio.Engine.Tokenization;
using AscendAio.Export.Onnx.Proto;
using Google.Protobuf;

namespace AscendAio.Export;

/// <summary>
/// Checks a bundle on disk without a device: bundle.json reads, every file it names exists, each ONNX graph parses
/// and has the inputs and outputs bundle.json lists, the weight file is long enough for every external-data range
/// the graphs reference and for bundle.json's byte count, the tokenizer loads and the chat template (if any) parses. A truncated or random graph,
/// an empty or short weights.bin, a missing tokenizer file: each a one-line problem, before anything loads.
/// </summary>
public static class BundleCheck
{
    public static IReadOnlyList<string> Problems(string directory)
    {
        if (!Directory.Exists(directory))
            return [$"bundle directory '{directory}' does not exist"];
        BundleManifest manifest;
        try
        {
            manifest = BundleManifest.Load(directory);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or System.Text.Json.JsonException)
        {
            return [e.Message];
        }

        var problems = new List<string>();
        var weightPath = Path.Combine(directory, manifest.Weights.File);
        var weightLength = File.Exists(weightPath) ? new FileInfo(weightPath).Length : -1;
        if (weightLength < 0)
            problems.Add($"{manifest.Weights.File} is missing");
        else if (weightLength < manifest.Weights.Bytes)
            problems.Add($"{manifest.Weights.File} holds {weightLength:N0} bytes, fewer than the {manifest.Weights.Bytes:N0} bytes of tensors bundle.json lists (truncated?)");

        foreach (var file in new[] { manifest.Graph.OnnxFile, manifest.Graph.CpuOnnxFile }.OfType<string>())
            CheckGraph(directory, file, manifest, weightLength, problems);

        try
        {
            BundleTokenizer.Load(directory);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or System.Text.Json.JsonException or NotSupportedException)
        {
            problems.Add($"tokenizer: {e.Message}");
        }
        if (manifest.Templates.Chat is { } chat)
        {
            try
            {
                ModelBundle.LoadChatTemplate(directory, chat);
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                problems.Add($"chat template: {e.Message}");
            }
        }
        return problems;
    }

    private static void CheckGraph(string directory, string file, BundleManifest manifest, long weightLength, List<string> problems)
    {
        var path = Path.Combine(directory, file);
        if (!File.Exists(path))
        {
            problems.Add($"{file} is missing");
            return;
        }
        ModelProto model;
        try
        {
            using var stream = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            problems.Add($"{file} is not a readable ONNX model ({e.Message})");
            return;
        }
        if (model.Graph is null || model.Graph.Node.Count == 0)
        {
            problems.Add($"{file} holds no graph");
            return;
        }
        var inputs = model.Graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var outputs = model.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var missing in manifest.Graph.Inputs.Select(i => i.Name).Where(n => !inputs.Contains(n)))
            problems.Add($"{file} has no input '{missing}' (bundle.json lists it)");
        foreach (var missing in manifest.Graph.Outputs.Select(o => o.Name).Where(n => !outputs.Contains(n)))
            problems.Add($"{file} has no output '{missing}' (bundle.json lists it)");

        foreach (var tensor in model.Graph.Initializer.Where(t => t.DataLocation == TensorProto.Types.DataLocation.External))
        {
            var data = tensor.ExternalData.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
            var location = data.GetValueOrDefault("location") ?? "";
            if (location != manifest.Weights.File)
            {
                problems.Add($"{file}: initializer '{tensor.Name}' reads '{location}', not the bundle's weight file {manifest.Weights.File}");
                return;
            }
            var end = long.Parse(data.GetValueOrDefault("offset") ?? "0") + long.Parse(data.GetValueOrDefault("length") ?? "0");
            if (weightLength >= 0 && end > weightLength)
            {
                problems.Add($"{file}: initializer '{tensor.Name}' reads {manifest.Weights.File} up to byte {end:N0}, but the file holds {weightLength:N0} (truncated?)");
                return;
            }
        }
    }
}
