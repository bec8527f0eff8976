using System.Text.Json;

namespace AscendAio.Engine.Tokenization.Json;

/// <summary>
/// A Hugging Face tokenizer.json as the reference runs it: added tokens cut out of the raw text; every other
/// stretch normalized, pre-tokenized, and each pre-token encoded by the BPE model (Microsoft.ML.Tokenizers).
/// Decoding maps ids to token strings and runs the decoder chain. The post_processor (BOS insertion) is not
/// applied: the engine's prompt templates write their own BOS.
/// </summary>
internal sealed class TokenizerJsonCodec : ITokenCodec
{
    private readonly AddedTokenSplitter _splitter;
    private readonly ITextNormalizer? _normalizer;
    private readonly IPreTokenizerStep? _preTokenizer;
    private readonly JsonBpeModel _model;
    private readonly IDecoderStep? _decoder;
    private readonly Dictionary<int, string> _tokenById;
    private readonly int _longestToken;

    private TokenizerJsonCodec(IReadOnlyList<AddedToken> added, ITextNormalizer? normalizer, IPreTokenizerStep? preTokenizer,
        JsonBpeModel model, IDecoderStep? decoder, bool byteLevel)
    {
        AddedTokens = added;
        _splitter = new AddedTokenSplitter(added);
        _normalizer = normalizer;
        _preTokenizer = preTokenizer;
        _model = model;
        _decoder = decoder;
        IsByteLevel = byteLevel;
        _tokenById = new Dictionary<int, string>(model.Vocabulary.Count + added.Count);
        foreach (var (token, id) in model.Vocabulary)
            _tokenById[id] = token;
        foreach (var token in added)
            _tokenById[token.Id] = token.Content;
        _longestToken = Math.Max(1, model.Vocabulary.Keys.Select(k => k.Length).DefaultIfEmpty(1).Max());
    }

    public IReadOnlyList<AddedToken> AddedTokens { get; }
    public IReadOnlyDictionary<string, int> Vocabulary => _model.Vocabulary;
    public bool IsByteLevel { get; }

    public static TokenizerJsonCodec Load(string path)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("model", out var model))
                throw new InvalidDataException($"{path}: expected an object with a 'model' section");
            var byteLevel = JsonPreTokenizers.HasByteLevel(root.Section("pre_tokenizer"));
            var added = ReadAddedTokens(root, path);
            return new TokenizerJsonCodec(added,
                JsonNormalizers.Parse(root.Section("normalizer"), path),
                JsonPreTokenizers.Parse(root.Section("pre_tokenizer"), path),
                JsonBpeModel.Parse(model, path, byteLevel),
                JsonDecoders.Parse(root.Section("decoder"), path, added.Select(a => a.Content).ToHashSet(StringComparer.Ordinal)),
                byteLevel);
        }
    }

    public IReadOnlyList<int> Encode(ReadOnlySpan<char> text) => EncodeWithin(text, int.MaxValue)!;

    public IReadOnlyList<int>? EncodeWithin(ReadOnlySpan<char> text, int maxTokens)
    {
        var ids = new List<int>(Math.Min(text.Length / 3, maxTokens) + 4);
        var words = new List<string>();
        foreach (var segment in _splitter.Split(text.ToString()))
        {
            if (segment.Token is not null)
            {
                ids.Add(segment.Token.Id);
                if (ids.Count > maxTokens)
                    return null;
                continue;
            }
            // Byte-level without a normalizer: each character becomes at least one byte symbol, so a stretch longer than
            // the rest of the budget allows is over before it is pre-tokenized (the costly step for a huge prompt).
            if (IsByteLevel && _normalizer is null && segment.Text.Length > (long)(maxTokens - ids.Count) * _longestToken)
                return null;
            var normalized = _normalizer?.Normalize(segment.Text) ?? segment.Text;
            if (normalized.Length == 0)
                continue;
            words.Clear();
            if (_preTokenizer is null)
                words.Add(normalized);
            else
                _preTokenizer.Split(normalized, segment.Start == 0, words);
            foreach (var word in words)
            {
                // Each token covers at most _longestToken characters of a pre-token: a word longer than the rest of
                // the budget allows is over without running BPE on it (merging one huge word is the costly case).
                if (word.Length > (long)(maxTokens - ids.Count) * _longestToken)
                    return null;
                _model.Encode(word, ids);
                if (ids.Count > maxTokens)
                    return null;
            }
        }
        return ids;
    }

    public string Decode(IReadOnlyList<int> ids)
    {
        var tokens = new List<string>(ids.Count);
        foreach (var id in ids)
        {
            if (_tokenById.TryGetValue(id, out var token))
                tokens.Add(token);
        }
        return string.Concat(_decoder?.Decode(tokens) ?? tokens);
    }

    private static List<AddedToken> ReadAddedTokens(JsonElement root, string path)
    {
        var added = new List<AddedToken>();
        if (!root.TryGetProperty("added_tokens", out var list) || list.ValueKind == JsonValueKind.Null)
            return added;
        if (list.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{path}: 'added_tokens' must be an array");
        foreach (var t in list.EnumerateArray())
        {
            var content = t.RequiredString("content", path, "added token");
            var id = t.OptionalInt("id") ?? throw new InvalidDataException($"{path}: added token '{content}' has no id");
            added.Add(new AddedToken(id, content, t.OptionalBool("special") ?? false, t.OptionalBool("lstrip") ?? false,
                t.OptionalBool("rstrip") ?? false, t.OptionalBool("normalized") ?? false));
        }
        return added;
    }
}
