using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AscendAio.TestSupport;

/// <summary>
/// Writes a small byte-level BPE tokenizer (vocab.json, merges.txt, tokenizer_config.json) in the format the
/// engine's tokenizer adapter loads: the team's special tokens first, then the 256 byte symbols, then merges
/// learned from a fixed corpus by plain BPE training (most frequent pair first, ties broken by ordinal order).
/// </summary>
public static class TinyTokenizer
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static readonly string[] SpecialTokens =
        ["<|bos|>", "<|eos|>", "<|pad|>", "<|probe|>", "<|answer|>", "<|code|>", "<|qa|>", "<|math|>"];

    public const string Corpus =
        "def add(a, b):\n    return a + b\n\nWhat is the capital of France? The capital of France is Paris.\n" +
        "Compute 12 + 30 = 42. Then 42 * 2 = 84.\nfor i in range(10):\n    print(i)\n" +
        "Question: who wrote the book? Answer: the author wrote the book in the year 1999.\n";

    public const string Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>Writes the tokenizer files into <paramref name="directory"/>; returns the vocabulary size.</summary>
    public static int Write(string directory, int mergeCount = 48)
    {
        Directory.CreateDirectory(directory);
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in SpecialTokens)
            vocab[s] = vocab.Count;
        for (var b = 0; b < 256; b++)
            vocab[ByteSymbol((byte)b)] = vocab.Count;

        var merges = Train(Corpus, mergeCount);
        foreach (var (left, right) in merges)
            vocab.TryAdd(left + right, vocab.Count);

        File.WriteAllText(Path.Combine(directory, "vocab.json"), JsonSerializer.Serialize(vocab));
        File.WriteAllLines(Path.Combine(directory, "merges.txt"),
            new[] { "#version: 0.2" }.Concat(merges.Select(m => $"{m.Left} {m.Right}")));
        File.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), ConfigJson(vocab));
        return vocab.Count;
    }

    /// <summary>Byte-level BPE training: repeatedly merges the most frequent adjacent pair within pre-tokenized words.</summary>
    public static List<(string Left, string Right)> Train(string corpus, int mergeCount)
    {
        var words = Regex.Matches(corpus, Pattern).Select(m => ToSymbols(m.Value)).ToList();
        var merges = new List<(string, string)>();
        for (var step = 0; step < mergeCount; step++)
        {
            var counts = new Dictionary<(string, string), int>();
            foreach (var w in words)
                for (var i = 0; i + 1 < w.Count; i++)
                    counts[(w[i], w[i + 1])] = counts.GetValueOrDefault((w[i], w[i + 1])) + 1;
            if (counts.Count == 0)
                break;
            var best = counts.OrderByDescending(p => p.Value)
                .ThenBy(p => p.Key.Item1, StringComparer.Ordinal).ThenBy(p => p.Key.Item2, StringComparer.Ordinal).First().Key;
            merges.Add(best);
            foreach (var w in words)
                ApplyMerge(w, best);
        }
        return merges;
    }

    /// <summary>
    /// The reference encoder the adapter must agree with: split special tokens, GPT-2 regex, bytes to symbols,
    /// then apply merges lowest rank first until none applies.
    /// </summary>
    public static List<int> ReferenceEncode(string text, IReadOnlyDictionary<string, int> vocab, IReadOnlyList<(string Left, string Right)> merges)
    {
        var ranks = new Dictionary<(string, string), int>();
        for (var i = 0; i < merges.Count; i++)
            ranks.TryAdd((merges[i].Left, merges[i].Right), i);
        var ids = new List<int>();
        var specials = string.Join("|", SpecialTokens.Select(Regex.Escape));
        foreach (var piece in Regex.Split(text, $"({specials})"))
        {
            if (piece.Length == 0)
                continue;
            if (SpecialTokens.Contains(piece))
            {
                ids.Add(vocab[piece]);
                continue;
            }
            foreach (Match m in Regex.Matches(piece, Pattern))
            {
                var symbols = ToSymbols(m.Value);
                while (true)
                {
                    var bestRank = int.MaxValue;
                    (string, string) bestPair = default;
                    for (var i = 0; i + 1 < symbols.Count; i++)
                        if (ranks.TryGetValue((symbols[i], symbols[i + 1]), out var r) && r < bestRank)
                            (bestRank, bestPair) = (r, (symbols[i], symbols[i + 1]));
                    if (bestRank == int.MaxValue)
                        break;
                    ApplyMerge(symbols, bestPair);
                }
                ids.AddRange(symbols.Select(s => vocab[s]));
            }
        }
        return ids;
    }

    public static string ByteSymbol(byte b)
    {
        var printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        if (printable)
            return ((char)b).ToString();
        var n = 0;
        for (var x = 0; x < b; x++)
            if (!((x >= '!' && x <= '~') || (x >= 0xA1 && x <= 0xAC) || (x >= 0xAE && x <= 0xFF)))
                n++;
        return ((char)(256 + n)).ToString();
    }

    private static List<string> ToSymbols(string text) => Encoding.UTF8.GetBytes(text).Select(ByteSymbol).ToList();

    private static void ApplyMerge(List<string> w, (string Left, string Right) pair)
    {
        for (var i = 0; i + 1 < w.Count; i++)
        {
            if (w[i] == pair.Left && w[i + 1] == pair.Right)
            {
                w[i] = pair.Left + pair.Right;
                w.RemoveAt(i + 1);
            }
        }
    }

    private static string ConfigJson(IReadOnlyDictionary<string, int> vocab)
    {
        var decoder = SpecialTokens.ToDictionary(t => vocab[t].ToString(), t => new Dictionary<string, object>
        {
            ["content"] = t, ["lstrip"] = false, ["normalized"] = false, ["rstrip"] = false, ["single_word"] = false, ["special"] = true,
        });
        var config = new Dictionary<string, object>
        {
            ["added_tokens_decoder"] = decoder,
            ["bos_token"] = "<|bos|>",
            ["eos_token"] = "<|eos|>",
            ["pad_token"] = "<|pad|>",
            ["additional_special_tokens"] = SpecialTokens.Skip(3).ToArray(),
            ["model_max_length"] = 512,
            ["tokenizer_class"] = "PreTrainedTokenizerFast",
        };
        return JsonSerializer.Serialize(config, Indented);
    }
}
