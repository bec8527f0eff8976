using System.Text.Json;

namespace AscendAio.Export.Checkpoint;

/// <summary>
/// The token ids of a checkpoint's generation_config.json that the engine needs: eos_token_id (an int or a list:
/// instruct models stop on several, e.g. Llama 3's end-of-text and end-of-turn) and bos_token_id. Absent file: none.
/// </summary>
public sealed record GenerationConfig(IReadOnlyList<int> EosTokenIds, int? BosTokenId)
{
    public const string FileName = "generation_config.json";
    public static readonly GenerationConfig Empty = new([], null);

    public static GenerationConfig Load(string checkpointDirectory)
    {
        var path = Path.Combine(checkpointDirectory, FileName);
        if (!File.Exists(path))
            return Empty;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new CheckpointException(FileName, null, "expected a JSON object");
            var bos = LlamaConfig.TokenIds(doc.RootElement, "bos_token_id", FileName);
            return new GenerationConfig(LlamaConfig.TokenIds(doc.RootElement, "eos_token_id", FileName), bos.Count > 0 ? bos[0] : null);
        }
        catch (JsonException e)
        {
            throw new CheckpointException(FileName, null, $"not valid JSON ({e.Message})", e);
        }
    }
}
