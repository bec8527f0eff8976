using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace AscendAio.Engine.Tokenization;

public sealed partial class BundleTokenizer
{
    /// <summary>
    /// GPT-2's pre-tokenization pattern, the one Hugging Face's ByteLevel pre-tokenizer applies (use_regex=true):
    /// contractions, an optional space plus a run of letters / digits / other symbols, and whitespace runs.
    /// </summary>
    public const string Gpt2PreTokenizerPattern =
        @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private static readonly Regex Gpt2Regex = new(Gpt2PreTokenizerPattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);

    private static BundleTokenizer LoadByteLevelBpe(string vocabPath, string mergesPath, TokenizerConfig config)
    {
        var vocab = ReadVocabulary(vocabPath);
        foreach (var symbol in ByteLevelAlphabet.Symbols())
        {
            // Without every byte symbol, text containing that byte would be dropped silently by the BPE model.
            if (!vocab.ContainsKey(symbol))
                throw new InvalidDataException(
                    $"{vocabPath}: byte-level symbol '{symbol}' (U+{(int)symbol[0]:X4}) is missing; a byte-level BPE vocabulary must hold all 256 byte symbols");
        }
        var merges = ReadMerges(mergesPath, vocab);
        var special = CollectSpecialTokens(config, vocab, TokenizerConfig.FileName);

        var options = new BpeOptions(vocab)
        {
            Merges = merges,
            ByteLevel = true,
            SpecialTokens = special,
            PreTokenizer = new RegexPreTokenizer(Gpt2Regex, special),
        };
        var tokenizer = BpeTokenizer.Create(options);
        // Byte-level with the GPT-2 pre-tokenizer and no normalizer: every character becomes at least one byte symbol.
        var longest = vocab.Keys.Concat(special.Keys).Max(k => k.Length);
        return new BundleTokenizer(new LibraryCodec(tokenizer, longest), TokenizerKind.ByteLevelBpe, vocab, special,
            ResolveNamed(config.BosToken, special, vocab), ResolveNamed(config.EosToken, special, vocab),
            ResolveNamed(config.PadToken, special, vocab));
    }

    private static Dictionary<string, int> ReadVocabulary(string path)
    {
        Dictionary<string, int>? vocab;
        try
        {
            vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: expected a JSON object of token -> id ({e.Message})", e);
        }
        if (vocab is null || vocab.Count == 0)
            throw new InvalidDataException($"{path}: the vocabulary is empty");
        var seen = new Dictionary<int, string>();
        foreach (var (token, id) in vocab)
        {
            if (id < 0)
                throw new InvalidDataException($"{path}: token '{token}' has negative id {id}");
            if (!seen.TryAdd(id, token))
                throw new InvalidDataException($"{path}: tokens '{seen[id]}' and '{token}' share id {id}");
        }
        return vocab;
    }

    // merges.txt: one "left right" pair per line, rank = order; a leading "#version..." line and blank lines are skipped.
    private static List<string> ReadMerges(string path, IReadOnlyDictionary<string, int> vocab)
    {
        var merges = new List<string>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith("#version", StringComparison.Ordinal)))
                continue;
            var parts = line.Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new InvalidDataException($"{path}:{lineNumber}: expected two tokens separated by one space, got '{line}'");
            foreach (var part in parts)
            {
                if (!vocab.ContainsKey(part))
                    throw new InvalidDataException($"{path}:{lineNumber}: merge operand '{part}' is not in {VocabFile}");
            }
            if (!vocab.ContainsKey(parts[0] + parts[1]))
                throw new InvalidDataException($"{path}:{lineNumber}: merge result '{parts[0] + parts[1]}' is not in {VocabFile}");
            merges.Add(line);
        }
        return merges;
    }

    private static BundleTokenizer LoadSentencePiece(string modelPath, TokenizerConfig config)
    {
        LlamaTokenizer tokenizer;
        // First pass without added tokens, to learn the model's own vocabulary for resolving named special tokens.
        try
        {
            using var probe = File.OpenRead(modelPath);
            tokenizer = LlamaTokenizer.Create(probe, addBeginOfSentence: false, addEndOfSentence: false);
        }
        catch (Exception e) when (e is not (FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException))
        {
            throw new InvalidDataException($"{modelPath}: not a SentencePiece BPE model ({e.Message})", e);
        }
        var vocab = new Dictionary<string, int>(tokenizer.Vocabulary, StringComparer.Ordinal);
        var special = CollectSpecialTokens(config, vocab, TokenizerConfig.FileName);
        if (special.Count > 0)
        {
            using var stream = File.OpenRead(modelPath);
            tokenizer = LlamaTokenizer.Create(stream, addBeginOfSentence: false, addEndOfSentence: false, specialTokens: special);
        }
        var bos = ResolveNamed(config.BosToken, special, vocab) ?? tokenizer.BeginningOfSentenceId;
        var eos = ResolveNamed(config.EosToken, special, vocab) ?? tokenizer.EndOfSentenceId;
        return new BundleTokenizer(new LibraryCodec(tokenizer), TokenizerKind.SentencePiece, vocab, special, bos, eos,
            ResolveNamed(config.PadToken, special, vocab));
    }
}
