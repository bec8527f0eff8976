using System.Text.Json;

namespace AscendAio.Export.Checkpoint;

/// <summary>
/// model.safetensors.index.json of a sharded checkpoint: "weight_map" from tensor name to the shard file that holds
/// it. When present it decides which files are read (other *.safetensors, e.g. a consolidated copy, are ignored) and
/// every tensor must sit in the shard the map names.
/// </summary>
public sealed class SafetensorsIndex
{
    public const string FileName = "model.safetensors.index.json";

    private SafetensorsIndex(IReadOnlyDictionary<string, string> weightMap) => WeightMap = weightMap;

    /// <summary>Tensor name → shard file name (relative to the checkpoint directory).</summary>
    public IReadOnlyDictionary<string, string> WeightMap { get; }

    /// <summary>The shard files the map names, in order.</summary>
    public IReadOnlyList<string> Shards => WeightMap.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>The index of <paramref name="directory"/>, or null when it has none.</summary>
    public static SafetensorsIndex? Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
            return null;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new CheckpointException(FileName, null, $"not valid JSON ({e.Message})", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("weight_map", out var map)
                || map.ValueKind != JsonValueKind.Object)
                throw new CheckpointException(FileName, "weight_map", "missing: expected an object of tensor name → shard file");
            var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in map.EnumerateObject())
            {
                var shard = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : "";
                if (shard.Length == 0 || Path.GetFileName(shard) != shard || !shard.EndsWith(".safetensors", StringComparison.Ordinal))
                    throw new CheckpointException(FileName, entry.Name, $"weight_map entry {entry.Value} is not a .safetensors file name in the checkpoint directory");
                weightMap[entry.Name] = shard;
            }
            return new SafetensorsIndex(weightMap);
        }
    }

    /// <summary>Checks that the tensors found in <paramref name="owner"/> are exactly the ones the map lists, each in its mapped shard.</summary>
    public void Check(IReadOnlyDictionary<string, SafetensorsFile> owner)
    {
        foreach (var (name, file) in owner)
        {
            var shard = Path.GetFileName(file.Path);
            if (!WeightMap.TryGetValue(name, out var mapped))
                throw new CheckpointException(shard, name, $"tensor is not listed in {FileName}'s weight_map");
            if (mapped != shard)
                throw new CheckpointException(shard, name, $"{FileName} maps this tensor to {mapped}");
        }
        foreach (var (name, shard) in WeightMap)
        {
            if (!owner.ContainsKey(name))
                throw new CheckpointException(FileName, name, $"weight_map places this tensor in {shard}, which does not contain it");
        }
    }
}
