using System.Text.Json;

namespace AscendAio.Engine.Tokenization;

/// <summary>
/// The parts of a Hugging Face tokenizer_config.json the engine uses: added (special) tokens with their ids,
/// and which of them are BOS / EOS / PAD.
/// </summary>
public sealed record TokenizerConfig(
    IReadOnlyDictionary<string, int> AddedTokens,
    IReadOnlyList<string> NamedSpecialTokens,
    string? BosToken,
    string? EosToken,
    string? PadToken,
    string? UnknownToken)
{
    public const string FileName = "tokenizer_config.json";

    public static TokenizerConfig Empty { get; } = new(new Dictionary<string, int>(), [], null, null, null, null);

    /// <summary>Reads tokenizer_config.json from <paramref name="directory"/>; a directory without one gets <see cref="Empty"/>.</summary>
    public static TokenizerConfig Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
            return Empty;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            return Parse(doc.RootElement, path);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e);
        }
    }

    private static TokenizerConfig Parse(JsonElement root, string path)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{path}: expected a JSON object at the top level");

        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        if (root.TryGetProperty("added_tokens_decoder", out var decoder))
        {
            if (decoder.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{path}: 'added_tokens_decoder' must be an object of id -> token");
            foreach (var entry in decoder.EnumerateObject())
            {
                if (!int.TryParse(entry.Name, out var id) || id < 0)
                    throw new InvalidDataException($"{path}: 'added_tokens_decoder' key '{entry.Name}' is not a token id");
                var content = TokenText(entry.Value)
                    ?? throw new InvalidDataException($"{path}: 'added_tokens_decoder.{entry.Name}.content' is missing");
                added[content] = id;
            }
        }

        var named = new List<string>();
        if (root.TryGetProperty("additional_special_tokens", out var extra) && extra.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in extra.EnumerateArray())
            {
                var text = TokenText(item)
                    ?? throw new InvalidDataException($"{path}: 'additional_special_tokens' holds an entry without text");
                named.Add(text);
            }
        }

        string? Named(string field)
        {
            if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
                return null;
            var text = TokenText(value)
                ?? throw new InvalidDataException($"{path}: '{field}' must be a string or an object with 'content'");
            named.Add(text);
            return text;
        }

        var bos = Named("bos_token");
        var eos = Named("eos_token");
        var pad = Named("pad_token");
        var unk = Named("unk_token");
        return new TokenizerConfig(added, named, bos, eos, pad, unk);
    }

    // Hugging Face writes a token either as a plain string or as {"content": "...", ...}.
    private static string? TokenText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Object when value.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String => c.GetString(),
        _ => null,
    };
}
