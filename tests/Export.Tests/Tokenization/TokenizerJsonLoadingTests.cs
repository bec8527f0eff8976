using System.Text.Json;
using System.Text.Json.Nodes;
using AscendAio.Engine.Tokenization;
using AscendAio.TestSupport;

namespace AscendAio.Export.Tests.Tokenization;

/// <summary>Small hand-written tokenizer.json files: bad input fails at load naming what and where; options behave.</summary>
public sealed class TokenizerJsonLoadingTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create("tokjson");

    public void Dispose() => TempDirectory.Delete(_dir);

    // Byte-level BPE: the 256 byte symbols, "ab" and "abc" by merges, one special and one non-special added token.
    private static JsonObject ByteLevel()
    {
        var vocab = new JsonObject();
        foreach (var symbol in ByteLevelAlphabet.Symbols())
            vocab[symbol] = vocab.Count;
        vocab["ab"] = 256;
        vocab["abc"] = 257;
        vocab["Ġab"] = 258;
        vocab["Ġa"] = 259;
        return new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = new JsonArray(
                new JsonObject { ["id"] = 300, ["content"] = "<|end|>", ["special"] = true },
                new JsonObject { ["id"] = 301, ["content"] = "<think>", ["special"] = false }),
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = @"\p{N}{1,3}| ?\p{L}++|\s+|[^\s\p{L}\p{N}]+" }, ["behavior"] = "Isolated", ["invert"] = false },
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["use_regex"] = false }),
            },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel" },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["vocab"] = vocab,
                ["merges"] = new JsonArray("a b", new JsonArray("ab", "c"), "Ġ a", "Ġa b"),
            },
        };
    }

    private BundleTokenizer Write(JsonObject json)
    {
        File.WriteAllText(Path.Combine(_dir, BundleTokenizer.TokenizerJsonFile), json.ToJsonString());
        return BundleTokenizer.Load(_dir);
    }

    private InvalidDataException LoadFails(JsonObject json)
    {
        File.WriteAllText(Path.Combine(_dir, BundleTokenizer.TokenizerJsonFile), json.ToJsonString());
        var e = Assert.Throws<InvalidDataException>(() => BundleTokenizer.Load(_dir));
        Assert.Contains(BundleTokenizer.TokenizerJsonFile, e.Message);
        return e;
    }

    [Fact]
    public void Load_ByteLevelWithStringAndArrayMerges_MergesAndSplitsAddedTokens()
    {
        var tokenizer = Write(ByteLevel());

        Assert.Equal(TokenizerKind.ByteLevelBpe, tokenizer.Kind);
        Assert.Equal([257, 300, 301, 32, 256], tokenizer.Encode("abc<|end|><think> ab")); // "a b" outranks "Ġ a"
        Assert.Equal("abc<|end|><think> ab", tokenizer.Decode(tokenizer.Encode("abc<|end|><think> ab")));
        Assert.Equal(300, tokenizer.SpecialTokens["<|end|>"]);
        Assert.Equal(301, tokenizer.TokenToId("<think>"));
        Assert.False(tokenizer.SpecialTokens.ContainsKey("<think>"));
    }

    [Fact]
    public void Load_PreferTokenizerJson_OverVocabAndMerges()
    {
        TinyTokenizer.Write(_dir);
        File.Delete(Path.Combine(_dir, TokenizerConfig.FileName)); // it names TinyTokenizer's own special tokens

        var tokenizer = Write(ByteLevel());

        Assert.Equal([257], tokenizer.Encode("abc"));
    }

    [Theory]
    [InlineData("model", "WordPiece", "model type 'WordPiece'")]
    [InlineData("pre_tokenizer", "BertPreTokenizer", "pre_tokenizer type 'BertPreTokenizer'")]
    [InlineData("normalizer", "Precompiled", "normalizer type 'Precompiled'")]
    [InlineData("decoder", "CTC", "decoder type 'CTC'")]
    public void Load_UnknownSectionType_FailsNamingTheTypeAndFile(string section, string type, string expected)
    {
        var json = ByteLevel();
        if (section == "model")
            json["model"]!["type"] = type;
        else
            json[section] = new JsonObject { ["type"] = type };

        var e = LoadFails(json);

        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Load_UnknownTypeInsideASequence_FailsNamingIt()
    {
        var json = ByteLevel();
        json["pre_tokenizer"]!["pretokenizers"]!.AsArray().Add(new JsonObject { ["type"] = "UnicodeScripts" });

        Assert.Contains("'UnicodeScripts'", LoadFails(json).Message);
    }

    [Fact]
    public void Load_RegexDotNetCannotRun_FailsNamingThePattern()
    {
        var json = ByteLevel();
        json["pre_tokenizer"]!["pretokenizers"]![0]!["pattern"] = new JsonObject { ["Regex"] = @"[a-z&&[^aeiou]]+" };

        Assert.Contains("[a-z&&[^aeiou]]+", LoadFails(json).Message);
    }

    [Fact]
    public void Load_MergeOfTokensMissingFromVocabulary_Fails()
    {
        var json = ByteLevel();
        json["model"]!["merges"]!.AsArray().Add("x yz");

        Assert.Contains("'x', 'yz'", LoadFails(json).Message);
    }

    [Fact]
    public void Load_NotJson_FailsNamingTheFile()
    {
        File.WriteAllText(Path.Combine(_dir, BundleTokenizer.TokenizerJsonFile), "{ not json");

        var e = Assert.Throws<InvalidDataException>(() => BundleTokenizer.Load(_dir));

        Assert.Contains(BundleTokenizer.TokenizerJsonFile, e.Message);
    }

    [Fact]
    public void Encode_IgnoreMerges_UsesTheWholeWordWhenItIsInTheVocabulary()
    {
        var json = ByteLevel();
        json["model"]!["merges"] = new JsonArray("a b");
        Assert.Equal([256, 99], Write(json).Encode("abc"));

        json["model"]!["ignore_merges"] = true;

        Assert.Equal([257], Write(json).Encode("abc"));
    }

    // SentencePiece style: ▁ for spaces by Prepend + Replace, byte fallback for characters outside the vocabulary.
    private static JsonObject SentencePieceStyle()
    {
        var vocab = new JsonObject { ["<unk>"] = 0, ["<s>"] = 1, ["</s>"] = 2 };
        for (var b = 0; b < 256; b++)
            vocab[$"<0x{b:X2}>"] = 3 + b;
        foreach (var piece in new[] { "▁", "h", "i", "▁h", "▁hi" })
            vocab[piece] = vocab.Count;
        return new JsonObject
        {
            ["added_tokens"] = new JsonArray(new JsonObject { ["id"] = 1, ["content"] = "<s>", ["special"] = true }),
            ["normalizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["normalizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Prepend", ["prepend"] = "▁" },
                    new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = " " }, ["content"] = "▁" }),
            },
            ["pre_tokenizer"] = null,
            ["decoder"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["decoders"] = new JsonArray(
                    new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = "▁" }, ["content"] = " " },
                    new JsonObject { ["type"] = "ByteFallback" },
                    new JsonObject { ["type"] = "Fuse" },
                    new JsonObject { ["type"] = "Strip", ["content"] = " ", ["start"] = 1, ["stop"] = 0 }),
            },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["vocab"] = vocab, ["merges"] = new JsonArray("▁ h", "▁h i"),
                ["unk_token"] = "<unk>", ["fuse_unk"] = true, ["byte_fallback"] = true,
            },
        };
    }

    [Fact]
    public void Encode_SentencePieceStyle_UsesByteFallbackAndRoundTrips()
    {
        var tokenizer = Write(SentencePieceStyle());
        var hi = tokenizer.TokenToId("▁hi")!.Value;

        var ids = tokenizer.Encode("hi é");

        Assert.Equal(TokenizerKind.SentencePiece, tokenizer.Kind);
        Assert.Equal([hi, tokenizer.TokenToId("▁")!.Value, 3 + 0xC3, 3 + 0xA9], ids);
        Assert.Equal("hi é", tokenizer.Decode(ids));
    }

    [Fact]
    public void Encode_WithoutByteFallback_FusesUnknownCharacters()
    {
        var json = SentencePieceStyle();
        json["model"]!["byte_fallback"] = false;

        Assert.Equal([0], Write(json).Encode("éé").Skip(1));
    }

    [Fact]
    public void Load_SentencePieceStyleWithoutUnknownOrByteFallback_Fails()
    {
        var json = SentencePieceStyle();
        json["model"]!["byte_fallback"] = false;
        json["model"]!.AsObject().Remove("unk_token");

        Assert.Contains("byte_fallback", LoadFails(json).Message);
    }

    [Fact]
    public void Encode_MetaspacePreTokenizer_PrependsOnlyOnTheFirstSectionAndSplitsWords()
    {
        var json = SentencePieceStyle();
        json["normalizer"] = null;
        json["pre_tokenizer"] = new JsonObject { ["type"] = "Metaspace", ["replacement"] = "▁", ["prepend_scheme"] = "first", ["split"] = true };
        json["decoder"] = new JsonObject { ["type"] = "Metaspace", ["replacement"] = "▁", ["prepend_scheme"] = "first" };
        var tokenizer = Write(json);
        var hi = tokenizer.TokenToId("▁hi")!.Value;

        Assert.Equal([hi, hi], tokenizer.Encode("hi hi"));
        Assert.Equal([1, tokenizer.TokenToId("h")!.Value, tokenizer.TokenToId("i")!.Value], tokenizer.Encode("<s>hi"));
        Assert.Equal("hi hi", tokenizer.Decode(tokenizer.Encode("hi hi")));
    }

    [Fact]
    public void Encode_DigitsAndNfc_FollowTheirOptions()
    {
        var json = ByteLevel();
        json["normalizer"] = new JsonObject { ["type"] = "NFC" };
        json["pre_tokenizer"] = new JsonObject
        {
            ["type"] = "Sequence",
            ["pretokenizers"] = new JsonArray(
                new JsonObject { ["type"] = "Digits", ["individual_digits"] = true },
                new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["use_regex"] = false }),
        };
        var tokenizer = Write(json);

        Assert.Equal(tokenizer.Encode("\u00E9"), tokenizer.Encode("e\u0301"));
        Assert.Equal(["1", "2", "3"], tokenizer.Encode("123").Select(id => tokenizer.IdToToken(id)));
    }
}
