using AscendAio.Engine.Tokenization;
using AscendAio.TestSupport;

namespace AscendAio.Export.Tests.Tokenization;

public sealed class SentencePieceTokenizerTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create("spm");

    public void Dispose() => TempDirectory.Delete(_dir);

    [Theory]
    [InlineData("the cat and the hat")]
    [InlineData("hello there")]
    [InlineData("a")]
    public void EncodeThenDecode_ReturnsOriginalText(string text)
    {
        TinySentencePiece.Write(_dir);
        var tokenizer = BundleTokenizer.Load(_dir);

        var ids = tokenizer.Encode(text);

        Assert.Equal(TokenizerKind.SentencePiece, tokenizer.Kind);
        Assert.Equal(text, tokenizer.Decode(ids));
    }

    [Fact]
    public void Encode_UsesMergedPiecesWithDummyPrefix()
    {
        TinySentencePiece.Write(_dir);
        var tokenizer = BundleTokenizer.Load(_dir);

        var ids = tokenizer.Encode("the and");

        Assert.Equal([tokenizer.TokenToId("\u2581the")!.Value, tokenizer.TokenToId("\u2581and")!.Value], ids);
    }

    [Fact]
    public void Encode_AddedSpecialTokens_AreSingleIdsAfterTheModelPieces()
    {
        var pieces = TinySentencePiece.Write(_dir);
        var tokenizer = BundleTokenizer.Load(_dir);

        var ids = tokenizer.Encode("the<|probe|>");

        Assert.Equal(pieces + 3, tokenizer.TokenToId("<|probe|>"));
        Assert.Equal(pieces + 3, ids[^1]);
        Assert.Equal(1, tokenizer.BosId);
        Assert.Equal(2, tokenizer.EosId);
        Assert.Equal(pieces + TinyTokenizer.SpecialTokens.Length, tokenizer.VocabSize);
    }

    [Fact]
    public void Load_CorruptModel_SaysItIsNotASentencePieceModel()
    {
        TinySentencePiece.Write(_dir);
        File.WriteAllBytes(Path.Combine(_dir, "tokenizer.model"), [0xFF, 0xFF, 0xFF, 0x01, 0x02]);

        var e = Assert.Throws<InvalidDataException>(() => BundleTokenizer.Load(_dir));

        Assert.Contains("tokenizer.model", e.Message);
    }
}
