using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace AscendAio.Engine.Tokenization.Json;

/// <summary>
/// tokenizer.json's BPE "model" section loaded into Microsoft.ML.Tokenizers' BpeTokenizer, which does the merges.
/// The library lacks two options real files set, so they are done here around it:
/// <list type="bullet">
/// <item>ignore_merges (Llama 3): a pre-token that is itself in the vocabulary is one id, merges or not.</item>
/// <item>byte_fallback (Llama 2, Mistral): a character outside the vocabulary becomes its UTF-8 bytes as
/// "&lt;0xNN&gt;" tokens, else the unknown token (fused with its neighbours when fuse_unk is set). Such a
/// character takes part in no merge, so the known stretches around it are merged separately, exactly.</item>
/// </list>
/// </summary>
internal sealed class JsonBpeModel
{
    private readonly BpeTokenizer _bpe;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly bool _ignoreMerges;
    private readonly int[]? _byteIds;
    private readonly int? _unknownId;
    private readonly bool _fuseUnknown;

    private JsonBpeModel(BpeTokenizer bpe, Dictionary<string, int> vocab, bool ignoreMerges, int[]? byteIds, int? unknownId, bool fuseUnknown)
    {
        _bpe = bpe;
        Vocabulary = vocab;
        _lookup = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        _ignoreMerges = ignoreMerges;
        _byteIds = byteIds;
        _unknownId = unknownId;
        _fuseUnknown = fuseUnknown;
    }

    public IReadOnlyDictionary<string, int> Vocabulary { get; }

    public static JsonBpeModel Parse(JsonElement model, string source, bool byteLevel)
    {
        var type = model.RequiredString("type", source, "model");
        if (type != "BPE")
            throw new InvalidDataException($"{source}: model type '{type}' is not supported (only BPE)");
        if (model.TryGetProperty("dropout", out var dropout) && dropout.ValueKind == JsonValueKind.Number && dropout.GetDouble() != 0)
            throw new InvalidDataException($"{source}: BPE dropout {dropout.GetDouble()} is not supported (encoding must be deterministic)");
        foreach (var affix in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
        {
            if (!string.IsNullOrEmpty(model.OptionalString(affix)))
                throw new InvalidDataException($"{source}: BPE '{affix}' is not supported");
        }

        var vocab = ReadVocab(model, source);
        var merges = ReadMerges(model, source, vocab);
        var unknown = model.OptionalString("unk_token");
        int? unknownId = null;
        if (unknown is not null)
            unknownId = vocab.TryGetValue(unknown, out var u) ? u : throw new InvalidDataException($"{source}: unk_token '{unknown}' is not in the vocabulary");
        int[]? byteIds = null;
        if (model.OptionalBool("byte_fallback") ?? false)
        {
            byteIds = new int[256];
            for (var b = 0; b < 256; b++)
                byteIds[b] = vocab.TryGetValue($"<0x{b:X2}>", out var id) ? id : -1;
        }
        if (byteLevel)
        {
            var missing = ByteLevelAlphabet.Symbols().FirstOrDefault(s => !vocab.ContainsKey(s));
            if (missing is not null)
                throw new InvalidDataException($"{source}: byte-level symbol '{missing}' (U+{(int)missing[0]:X4}) is missing from the vocabulary");
        }
        else if (byteIds is null && unknownId is null)
        {
            throw new InvalidDataException($"{source}: a BPE model without ByteLevel needs byte_fallback or an unk_token, or text outside its vocabulary cannot be encoded");
        }

        var bpe = BpeTokenizer.Create(new BpeOptions(vocab) { Merges = merges });
        return new JsonBpeModel(bpe, vocab, model.OptionalBool("ignore_merges") ?? false, byteIds, unknownId,
            model.OptionalBool("fuse_unk") ?? false);
    }

    /// <summary>Appends the ids of one pre-token.</summary>
    public void Encode(string word, List<int> ids)
    {
        if (_ignoreMerges && _lookup.TryGetValue(word, out var whole))
        {
            ids.Add(whole);
            return;
        }
        var runStart = 0;
        var lastWasUnknown = false;
        for (var i = 0; i < word.Length;)
        {
            var length = char.IsHighSurrogate(word[i]) && i + 1 < word.Length && char.IsLowSurrogate(word[i + 1]) ? 2 : 1;
            if (_lookup.ContainsKey(word.AsSpan(i, length)))
            {
                i += length;
                continue;
            }
            if (i > runStart)
            {
                Merge(word[runStart..i], ids);
                lastWasUnknown = false;
            }
            lastWasUnknown = Fallback(word.AsSpan(i, length), ids, lastWasUnknown);
            i += length;
            runStart = i;
        }
        if (runStart < word.Length)
            Merge(runStart == 0 ? word : word[runStart..], ids);
    }

    private void Merge(string known, List<int> ids) =>
        ids.AddRange(_bpe.EncodeToIds(known, considerPreTokenization: false, considerNormalization: false));

    // Returns whether an unknown-token id was emitted (for fuse_unk).
    private bool Fallback(ReadOnlySpan<char> character, List<int> ids, bool lastWasUnknown)
    {
        if (_byteIds is not null)
        {
            Span<byte> bytes = stackalloc byte[8];
            var count = Encoding.UTF8.GetBytes(character, bytes);
            var all = true;
            for (var b = 0; b < count; b++)
                all &= _byteIds[bytes[b]] >= 0;
            if (all)
            {
                for (var b = 0; b < count; b++)
                    ids.Add(_byteIds[bytes[b]]);
                return false;
            }
        }
        if (_unknownId is not int unk)
            throw new InvalidOperationException($"character U+{char.ConvertToUtf32(character.ToString(), 0):X4} is outside the vocabulary and the tokenizer has no unknown token");
        if (!(_fuseUnknown && lastWasUnknown))
            ids.Add(unk);
        return true;
    }

    private static Dictionary<string, int> ReadVocab(JsonElement model, string source)
    {
        if (!model.TryGetProperty("vocab", out var v) || v.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{source}: BPE model needs a 'vocab' object of token -> id");
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        var seen = new HashSet<int>();
        foreach (var p in v.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt32(out var id) || id < 0)
                throw new InvalidDataException($"{source}: vocab token '{p.Name}' has no valid id");
            if (!seen.Add(id))
                throw new InvalidDataException($"{source}: vocab id {id} is used twice (token '{p.Name}')");
            vocab[p.Name] = id;
        }
        if (vocab.Count == 0)
            throw new InvalidDataException($"{source}: the BPE vocabulary is empty");
        return vocab;
    }

    // Merges come as "a b" strings (older files) or ["a", "b"] pairs; BpeOptions takes "a b", so an operand that
    // contains a space cannot be expressed and is refused.
    private static List<string> ReadMerges(JsonElement model, string source, Dictionary<string, int> vocab)
    {
        var merges = new List<string>();
        if (!model.TryGetProperty("merges", out var m) || m.ValueKind == JsonValueKind.Null)
            return merges;
        if (m.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{source}: BPE 'merges' must be an array");
        var index = 0;
        foreach (var entry in m.EnumerateArray())
        {
            string left, right;
            if (entry.ValueKind == JsonValueKind.String)
            {
                var parts = entry.GetString()!.Split(' ');
                if (parts.Length != 2)
                    throw new InvalidDataException($"{source}: merge {index} '{entry.GetString()}' is not two tokens separated by one space");
                (left, right) = (parts[0], parts[1]);
            }
            else if (entry.ValueKind == JsonValueKind.Array && entry.GetArrayLength() == 2
                     && entry[0].ValueKind == JsonValueKind.String && entry[1].ValueKind == JsonValueKind.String)
            {
                (left, right) = (entry[0].GetString()!, entry[1].GetString()!);
                if (left.Contains(' ') || right.Contains(' '))
                    throw new InvalidDataException($"{source}: merge {index} ['{left}', '{right}'] has a space inside a token, which Microsoft.ML.Tokenizers' merges cannot express");
            }
            else
            {
                throw new InvalidDataException($"{source}: merge {index} must be \"a b\" or [\"a\", \"b\"]");
            }
            if (!vocab.ContainsKey(left) || !vocab.ContainsKey(right) || !vocab.ContainsKey(left + right))
                throw new InvalidDataException($"{source}: merge {index} ('{left}', '{right}') uses or makes a token missing from the vocabulary");
            merges.Add(left + " " + right);
            index++;
        }
        return merges;
    }
}
