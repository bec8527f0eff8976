using System.Text;
using System.Text.Json;

namespace AscendAio.Engine.Tokenization.Json;

/// <summary>One tokenizer.json decoder: rewrites the list of token strings on the way back to text.</summary>
internal interface IDecoderStep
{
    List<string> Decode(List<string> tokens);
}

/// <summary>
/// Builds the "decoder" section: ByteLevel, Sequence, Replace, ByteFallback, Fuse, Strip and Metaspace
/// (byte-level BPE and the SentencePiece-style chain). Any other type fails at load.
/// </summary>
internal static class JsonDecoders
{
    public static IDecoderStep? Parse(JsonElement section, string source, IReadOnlySet<string> addedTokens)
    {
        if (section.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            return null;
        var type = section.RequiredString("type", source, "decoder");
        return type switch
        {
            "Sequence" => new SequenceDecoder(section.RequiredArray("decoders", source, "decoder")
                .Select(d => Parse(d, source, addedTokens)).OfType<IDecoderStep>().ToArray()),
            "ByteLevel" => new ByteLevelDecoder(addedTokens),
            "Replace" => new ReplaceDecoder(JsonPattern.Parse(section, source, "Replace decoder"),
                section.RequiredString("content", source, "Replace decoder")),
            "ByteFallback" => new ByteFallbackDecoder(),
            "Fuse" => new FuseDecoder(),
            "Strip" => new StripDecoder(section.RequiredString("content", source, "Strip decoder"),
                section.OptionalInt("start") ?? 0, section.OptionalInt("stop") ?? 0),
            "Metaspace" => new MetaspaceDecoder(section.RequiredString("replacement", source, "Metaspace decoder"),
                section.OptionalString("prepend_scheme") ?? ((section.OptionalBool("add_prefix_space") ?? true) ? "always" : "never")),
            _ => throw new InvalidDataException($"{source}: decoder type '{type}' is not supported"),
        };
    }

    private sealed class SequenceDecoder(IReadOnlyList<IDecoderStep> steps) : IDecoderStep
    {
        public List<string> Decode(List<string> tokens)
        {
            foreach (var step in steps)
                tokens = step.Decode(tokens);
            return tokens;
        }
    }

    // Runs of byte-level tokens become UTF-8 bytes, then text; added tokens (written as plain text) pass through.
    private sealed class ByteLevelDecoder(IReadOnlySet<string> addedTokens) : IDecoderStep
    {
        public List<string> Decode(List<string> tokens)
        {
            var output = new List<string>();
            var bytes = new List<byte>();
            foreach (var token in tokens)
            {
                if (addedTokens.Contains(token))
                {
                    Flush(bytes, output);
                    output.Add(token);
                    continue;
                }
                if (!ByteLevelAlphabet.TryDecode(token, bytes))
                    bytes.AddRange(Encoding.UTF8.GetBytes(token));
            }
            Flush(bytes, output);
            return output;
        }

        private static void Flush(List<byte> bytes, List<string> output)
        {
            if (bytes.Count == 0)
                return;
            output.Add(Encoding.UTF8.GetString(bytes.ToArray()));
            bytes.Clear();
        }
    }

    private sealed class ReplaceDecoder(JsonPattern pattern, string content) : IDecoderStep
    {
        public List<string> Decode(List<string> tokens) => tokens.Select(t => pattern.Replace(t, content)).ToList();
    }

    // "<0xNN>" tokens: consecutive ones are joined as UTF-8 bytes; invalid sequences become U+FFFD.
    private sealed class ByteFallbackDecoder : IDecoderStep
    {
        public List<string> Decode(List<string> tokens)
        {
            var output = new List<string>();
            var bytes = new List<byte>();
            foreach (var token in tokens)
            {
                if (token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token[5] == '>'
                    && byte.TryParse(token.AsSpan(3, 2), System.Globalization.NumberStyles.HexNumber, null, out var b))
                {
                    bytes.Add(b);
                    continue;
                }
                if (bytes.Count > 0)
                {
                    output.Add(Encoding.UTF8.GetString(bytes.ToArray()));
                    bytes.Clear();
                }
                output.Add(token);
            }
            if (bytes.Count > 0)
                output.Add(Encoding.UTF8.GetString(bytes.ToArray()));
            return output;
        }
    }

    private sealed class FuseDecoder : IDecoderStep
    {
        public List<string> Decode(List<string> tokens) => [string.Concat(tokens)];
    }

    // Removes up to `start` leading and `stop` trailing occurrences of `content` from every token.
    private sealed class StripDecoder(string content, int start, int stop) : IDecoderStep
    {
        public List<string> Decode(List<string> tokens) => tokens.Select(Strip).ToList();

        private string Strip(string token)
        {
            var from = 0;
            for (var i = 0; i < start && token.AsSpan(from).StartsWith(content, StringComparison.Ordinal); i++)
                from += content.Length;
            var to = token.Length;
            for (var i = 0; i < stop && to - content.Length >= from && token.AsSpan(from, to - from).EndsWith(content, StringComparison.Ordinal); i++)
                to -= content.Length;
            return token[from..to];
        }
    }

    private sealed class MetaspaceDecoder(string replacement, string scheme) : IDecoderStep
    {
        public List<string> Decode(List<string> tokens)
        {
            var output = new List<string>(tokens.Count);
            for (var i = 0; i < tokens.Count; i++)
            {
                var text = tokens[i].Replace(replacement, " ", StringComparison.Ordinal);
                if (i == 0 && scheme != "never" && text.StartsWith(' '))
                    text = text[1..];
                output.Add(text);
            }
            return output;
        }
    }
}
