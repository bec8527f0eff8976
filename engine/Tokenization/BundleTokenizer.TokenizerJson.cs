using AscendAio.Engine.Tokenization.Json;

namespace AscendAio.Engine.Tokenization;

public sealed partial class BundleTokenizer
{
    // tokenizer.json's added_tokens are authoritative for what is split out of the text; tokenizer_config.json
    // only names which of them are BOS / EOS / PAD.
    private static BundleTokenizer LoadTokenizerJson(string path, TokenizerConfig config)
    {
        var codec = TokenizerJsonCodec.Load(path);
        var vocab = new Dictionary<string, int>(codec.Vocabulary, StringComparer.Ordinal);
        var jsonSpecial = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in codec.AddedTokens)
        {
            if (token.Special)
                jsonSpecial[token.Content] = token.Id;
            else
                vocab[token.Content] = token.Id;
        }
        var special = CollectSpecialTokens(config with { AddedTokens = jsonSpecial }, vocab, TokenizerConfig.FileName);
        var kind = codec.IsByteLevel ? TokenizerKind.ByteLevelBpe : TokenizerKind.SentencePiece;
        return new BundleTokenizer(codec, kind, vocab, special, ResolveNamed(config.BosToken, special, vocab),
            ResolveNamed(config.EosToken, special, vocab), ResolveNamed(config.PadToken, special, vocab));
    }
}
