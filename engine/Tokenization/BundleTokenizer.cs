using Microsoft.ML.Tokenizers;

namespace AscendAio.Engine.Tokenization;

/// <summary>
/// The tokenizer of a model bundle or checkpoint directory, over Microsoft.ML.Tokenizers: Hugging Face's
/// tokenizer.json (byte-level or SentencePiece-style BPE, with the model's own normalizer and pre-tokenizer),
/// byte-level BPE (vocab.json + merges.txt) or SentencePiece (tokenizer.model), with added tokens split out of the
/// text before pre-tokenization so each encodes as one id.
/// </summary>
public sealed partial class BundleTokenizer : ITextTokenizer
{
    public const string VocabFile = "vocab.json";
    public const string MergesFile = "merges.txt";
    public const string SentencePieceFile = "tokenizer.model";
    public const string TokenizerJsonFile = "tokenizer.json";

    private readonly ITokenCodec _codec;
    private readonly IReadOnlyDictionary<string, int> _vocabulary;
    private readonly Dictionary<int, string> _specialById;
    private readonly Dictionary<int, string> _tokenById;

    private BundleTokenizer(ITokenCodec codec, TokenizerKind kind, IReadOnlyDictionary<string, int> vocabulary,
        IReadOnlyDictionary<string, int> specialTokens, int? bosId, int? eosId, int? padId)
    {
        _codec = codec;
        _vocabulary = vocabulary;
        Kind = kind;
        SpecialTokens = specialTokens;
        _specialById = specialTokens.ToDictionary(p => p.Value, p => p.Key);
        _tokenById = new Dictionary<int, string>(vocabulary.Count);
        foreach (var (token, id) in vocabulary)
            _tokenById.TryAdd(id, token);
        BosId = bosId;
        EosId = eosId;
        PadId = padId;
        var maxId = Math.Max(vocabulary.Count == 0 ? -1 : vocabulary.Values.Max(), specialTokens.Count == 0 ? -1 : specialTokens.Values.Max());
        VocabSize = maxId + 1;
    }

    public TokenizerKind Kind { get; }
    public int VocabSize { get; }
    public int? BosId { get; }
    public int? EosId { get; }
    public int? PadId { get; }
    public IReadOnlyDictionary<string, int> SpecialTokens { get; }

    /// <summary>Hugging Face's separate chat-template file (transformers writes it beside tokenizer_config.json).</summary>
    public const string ChatTemplateFile = "chat_template.jinja";

    /// <summary>The files in a directory that make up a tokenizer of this kind, its chat template included (copied into bundles).</summary>
    public static IReadOnlyList<string> FilesOf(string directory)
    {
        var names = new[] { TokenizerJsonFile, VocabFile, MergesFile, SentencePieceFile, TokenizerConfig.FileName, "special_tokens_map.json", ChatTemplateFile };
        return names.Where(n => File.Exists(Path.Combine(directory, n))).ToArray();
    }

    /// <summary>
    /// Loads the tokenizer in <paramref name="directory"/>: tokenizer.json takes precedence, then vocab.json +
    /// merges.txt (byte-level BPE), then tokenizer.model (SentencePiece). Named special tokens (bos, eos, pad) come
    /// from tokenizer_config.json when present.
    /// </summary>
    public static BundleTokenizer Load(string directory)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"tokenizer directory '{directory}' does not exist");
        var config = TokenizerConfig.Load(directory);
        var vocabPath = Path.Combine(directory, VocabFile);
        var mergesPath = Path.Combine(directory, MergesFile);
        var spPath = Path.Combine(directory, SentencePieceFile);
        var jsonPath = Path.Combine(directory, TokenizerJsonFile);

        if (File.Exists(jsonPath))
            return LoadTokenizerJson(jsonPath, config);
        if (File.Exists(vocabPath) || File.Exists(mergesPath))
        {
            if (!File.Exists(vocabPath))
                throw new FileNotFoundException($"'{mergesPath}' has no '{VocabFile}' beside it", vocabPath);
            if (!File.Exists(mergesPath))
                throw new FileNotFoundException($"'{vocabPath}' has no '{MergesFile}' beside it", mergesPath);
            return LoadByteLevelBpe(vocabPath, mergesPath, config);
        }
        if (File.Exists(spPath))
            return LoadSentencePiece(spPath, config);
        throw new FileNotFoundException(
            $"'{directory}' holds no tokenizer: expected {TokenizerJsonFile}, {VocabFile} + {MergesFile} (byte-level BPE) or {SentencePieceFile} (SentencePiece)");
    }

    public int[] Encode(ReadOnlySpan<char> text)
    {
        var ids = _codec.Encode(text);
        var result = new int[ids.Count];
        for (var i = 0; i < result.Length; i++)
            result[i] = ids[i];
        return result;
    }

    public int[] Encode(string text) => Encode(text.AsSpan());

    /// <summary>
    /// The ids of <paramref name="text"/> if it has at most <paramref name="maxTokens"/> tokens, else null: encoding
    /// stops once the count is over, so checking a huge text against a limit costs about the limit.
    /// </summary>
    public int[]? EncodeWithin(ReadOnlySpan<char> text, int maxTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTokens);
        return _codec.EncodeWithin(text, maxTokens) is { } ids ? [.. ids] : null;
    }

    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false)
    {
        foreach (var id in ids)
        {
            if (id < 0 || id >= VocabSize)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"token id {id} is outside the vocabulary (size {VocabSize})");
        }
        var list = ids.ToArray();
        if (skipSpecialTokens)
            list = list.Where(id => !_specialById.ContainsKey(id)).ToArray();
        return _codec.Decode(list);
    }

    /// <summary>
    /// The UTF-8 bytes token <paramref name="id"/> stands for (OpenAI's logprobs "bytes"): a special token's text; a
    /// byte-level token's bytes; a SentencePiece piece with '▁' as a space, or its byte for a byte-fallback piece
    /// ("&lt;0x0A&gt;"). A token may hold part of a character, so its bytes need not be valid UTF-8 on their own.
    /// </summary>
    public byte[] TokenBytes(int id)
    {
        if (_specialById.TryGetValue(id, out var special))
            return System.Text.Encoding.UTF8.GetBytes(special);
        var token = _tokenById.GetValueOrDefault(id)
            ?? throw new ArgumentOutOfRangeException(nameof(id), id, $"token id {id} is not in the vocabulary (size {VocabSize})");
        if (Kind == TokenizerKind.ByteLevelBpe)
        {
            var bytes = new List<byte>(token.Length);
            return ByteLevelAlphabet.TryDecode(token, bytes) ? [.. bytes] : System.Text.Encoding.UTF8.GetBytes(token);
        }
        if (token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token[5] == '>' &&
            byte.TryParse(token.AsSpan(3, 2), System.Globalization.NumberStyles.HexNumber, null, out var single))
            return [single];
        return System.Text.Encoding.UTF8.GetBytes(token.Replace('\u2581', ' '));
    }

    public int? TokenToId(string token)
    {
        if (SpecialTokens.TryGetValue(token, out var special))
            return special;
        return _vocabulary.TryGetValue(token, out var id) ? id : null;
    }

    public string? IdToToken(int id)
    {
        if (_specialById.TryGetValue(id, out var special))
            return special;
        return _tokenById.GetValueOrDefault(id);
    }

    private static int? ResolveNamed(string? token, IReadOnlyDictionary<string, int> special, IReadOnlyDictionary<string, int> vocab)
    {
        if (token is null)
            return null;
        if (special.TryGetValue(token, out var id) || vocab.TryGetValue(token, out id))
            return id;
        return null;
    }

    // Named special tokens (bos_token, additional_special_tokens, ...) absent from added_tokens_decoder are looked up
    // in the vocabulary; one found nowhere is an error naming it.
    private static Dictionary<string, int> CollectSpecialTokens(TokenizerConfig config, IReadOnlyDictionary<string, int> vocab, string configSource)
    {
        var special = new Dictionary<string, int>(config.AddedTokens, StringComparer.Ordinal);
        foreach (var name in config.NamedSpecialTokens)
        {
            if (special.ContainsKey(name))
                continue;
            if (!vocab.TryGetValue(name, out var id))
                throw new InvalidDataException($"{configSource}: special token '{name}' is neither in 'added_tokens_decoder' nor in the vocabulary");
            special[name] = id;
        }
        return special;
    }
}
