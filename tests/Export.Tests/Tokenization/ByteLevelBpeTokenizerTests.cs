using System.Text.Json;
using AscendAio.Engine.Tokenization;
using AscendAio.TestSupport;

namespace AscendAio.Export.Tests.Tokenization;

public sealed class ByteLevelBpeTokenizerTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create("bpe");

    public void Dispose() => TempDirectory.Delete(_dir);

    public static TheoryData<string> Texts => new()
    {
        "",
        "hello world",
        TinyTokenizer.Corpus,
        "  leading spaces and trailing   ",
        "tabs\tand\r\nnewlines\n\n\nend",
        "unicode: héllo, 你好, emoji 🙂, ümlaut",
        "it's we're they've I'm you'll he'd",
        "<|bos|>What is 2 + 2?<|probe|>",
        "<|bos|>def f(x):\n    return x<|answer|>    return x * 2<|eos|>",
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void EncodeThenDecode_ReturnsOriginalText(string text)
    {
        TinyTokenizer.Write(_dir);
        var tokenizer = BundleTokenizer.Load(_dir);

        var ids = tokenizer.Encode(text);

        Assert.Equal(text, tokenizer.Decode(ids));
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void Encode_MatchesReferenceByteLevelBpe(string text)
    {
        TinyTokenizer.Write(_dir);
        var tokenizer = BundleTokenizer.Load(_dir);
        var vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(Path.Combine(_dir, "vocab.json")))!;
        var merges = File.ReadLines(Path.Combine(_dir, "merges.txt")).Skip(1)
            .Select(l => l.Split(' ')).Select(p => (p[0], p[1])).ToList();

        Assert.Equal(TinyTokenizer.ReferenceEncode(text, vocab, merges), tokenizer.Encode(text));
    }

    [Fact]
    public void Encode_SpecialTokensInText_AreSingleIds()
    {
        TinyTokenizer.Write(_dir);
        var tokenizer = BundleTokenizer.Load(_dir);

        var ids = tokenizer.Encode("<|bos|>abc<|probe|>");

        Assert.Equal(tokenizer.TokenToId("<|bos|>"), ids[0]);
        Assert.Equal(tokenizer.TokenToId("<|probe|>"), ids[^1]);
        Assert.Equal(0, tokenizer.BosId);
        Assert.Equal(1, tokenizer.EosId);
        Assert.Equal(8, tokenizer.SpecialTokens.Count);
    }

    [Fact]
    public void Encode_LearnedMerges_ProduceFewerTokensThanBytes()
    {
        TinyTokenizer.Write(_dir);
        var tokenizer = BundleTokenizer.Load(_dir);

        var ids = tokenizer.Encode("the capital of France");

        Assert.True(ids.Length < "the capital of France".Length, $"{ids.Length} tokens");
    }

    [Fact]
    public void Decode_SkipSpecialTokens_DropsThem()
    {
        TinyTokenizer.Write(_dir);
        var tokenizer = BundleTokenizer.Load(_dir);

        var ids = tokenizer.Encode("<|bos|>hi<|eos|>");

        Assert.Equal("hi", tokenizer.Decode(ids, skipSpecialTokens: true));
    }

    [Fact]
    public void VocabSize_CoversVocabularyAndSpecialTokens()
    {
        var size = TinyTokenizer.Write(_dir);

        var tokenizer = BundleTokenizer.Load(_dir);

        Assert.Equal(size, tokenizer.VocabSize);
        Assert.Equal(TokenizerKind.ByteLevelBpe, tokenizer.Kind);
    }

    [Fact]
    public void Load_MergesWithoutVersionHeader_Works()
    {
        TinyTokenizer.Write(_dir);
        var mergesPath = Path.Combine(_dir, "merges.txt");
        File.WriteAllLines(mergesPath, File.ReadAllLines(mergesPath).Skip(1));

        var tokenizer = BundleTokenizer.Load(_dir);

        Assert.Equal("hello", tokenizer.Decode(tokenizer.Encode("hello")));
    }

    [Fact]
    public void Load_MergeWithUnknownOperand_NamesLineAndToken()
    {
        TinyTokenizer.Write(_dir);
        File.AppendAllLines(Path.Combine(_dir, "merges.txt"), ["zzz q"]);

        var e = Assert.Throws<InvalidDataException>(() => BundleTokenizer.Load(_dir));

        Assert.Contains("merges.txt", e.Message);
        Assert.Contains("'zzz'", e.Message);
    }

    [Fact]
    public void Load_VocabularyMissingByteSymbol_NamesTheSymbol()
    {
        TinyTokenizer.Write(_dir);
        var path = Path.Combine(_dir, "vocab.json");
        var vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(path))!;
        vocab.Remove("Ġ");
        File.WriteAllText(path, JsonSerializer.Serialize(vocab));
        File.WriteAllText(Path.Combine(_dir, "merges.txt"), "");

        var e = Assert.Throws<InvalidDataException>(() => BundleTokenizer.Load(_dir));

        Assert.Contains("U+0120", e.Message);
    }

    [Fact]
    public void Load_DirectoryWithoutTokenizerFiles_SaysWhatIsExpected()
    {
        var e = Assert.Throws<FileNotFoundException>(() => BundleTokenizer.Load(_dir));

        Assert.Contains("vocab.json", e.Message);
        Assert.Contains("tokenizer.model", e.Message);
    }
}
