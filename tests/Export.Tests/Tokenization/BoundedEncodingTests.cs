using AscendAio.Engine.Tokenization;
using AscendAio.TestSupport;

namespace AscendAio.Export.Tests.Tokenization;

/// <summary>
/// EncodeWithin: the full ids when the text has at most the bound's tokens, null once it has more, for every tokenizer
/// kind (tokenizer.json, byte-level BPE through the library, SentencePiece through the library).
/// </summary>
public sealed class BoundedEncodingTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create("bounded");

    public void Dispose() => TempDirectory.Delete(_dir);

    public static TheoryData<string> Kinds => new() { "tokenizer.json", "byte-level", "sentencepiece" };

    private const string Text = "the cat and the hat sat on the mat; unicode: héllo, 你好 🙂 and then the end";

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EncodeWithin_AtOrOverTheCount_ReturnsTheFullIds_UnderIt_ReturnsNull(string kind)
    {
        var tokenizer = Load(kind);
        var full = tokenizer.Encode(Text);

        Assert.True(full.Length > 4, $"{kind}: the text must have several tokens, got {full.Length}");
        Assert.Equal(full, tokenizer.EncodeWithin(Text, full.Length));
        Assert.Equal(full, tokenizer.EncodeWithin(Text, full.Length + 10));
        Assert.Null(tokenizer.EncodeWithin(Text, full.Length - 1));
        Assert.Null(tokenizer.EncodeWithin(Text, 1));
        Assert.Empty(tokenizer.EncodeWithin("", 0)!);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EncodeWithin_OneHugeWord_IsOverTheBound(string kind)
    {
        var tokenizer = Load(kind);
        var word = new string('x', 200_000);

        Assert.Null(tokenizer.EncodeWithin(word, 100));
    }

    private BundleTokenizer Load(string kind)
    {
        switch (kind)
        {
            case "tokenizer.json":
                return BundleTokenizer.Load(ReferenceTokenizers.ModelDirectory("qwen3"));
            case "byte-level":
                TinyTokenizer.Write(_dir);
                return BundleTokenizer.Load(_dir);
            default:
                TinySentencePiece.Write(_dir);
                return BundleTokenizer.Load(_dir);
        }
    }
}
