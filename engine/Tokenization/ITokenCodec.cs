using Microsoft.ML.Tokenizers;

namespace AscendAio.Engine.Tokenization;

/// <summary>The encode / decode engine behind a <see cref="BundleTokenizer"/>.</summary>
internal interface ITokenCodec
{
    IReadOnlyList<int> Encode(ReadOnlySpan<char> text);

    string Decode(IReadOnlyList<int> ids);
}

/// <summary>A Microsoft.ML.Tokenizers tokenizer used as it is (vocab.json + merges.txt, tokenizer.model).</summary>
internal sealed class LibraryCodec(Tokenizer tokenizer) : ITokenCodec
{
    public IReadOnlyList<int> Encode(ReadOnlySpan<char> text) => tokenizer.EncodeToIds(text);

    public string Decode(IReadOnlyList<int> ids) => tokenizer.Decode(ids) ?? string.Empty;
}
