using AscendAio.Engine.Models;

namespace AscendAio.Engine.Generation;

/// <summary>
/// Incremental detokenization with stop strings. Byte-level tokens can end inside a UTF-8 character, so text
/// ending in U+FFFD is held back until the next token completes it.
/// </summary>
internal sealed class TextAccumulator(LanguageModel model, IReadOnlyList<string> stopStrings)
{
    private string _decoded = "";
    private int _emitted;

    /// <summary>The text so far (cut at a stop string once one appeared).</summary>
    public string Text { get; private set; } = "";

    /// <summary>Re-decodes the generated ids; returns true when a stop string appeared. <paramref name="delta"/> is the new text.</summary>
    public bool Append(ReadOnlySpan<int> generated, out string delta)
    {
        _decoded = model.Tokenizer.Decode(generated, skipSpecialTokens: true);
        var stable = _decoded.EndsWith('\uFFFD') ? _decoded.TrimEnd('\uFFFD') : _decoded;
        foreach (var stop in stopStrings)
        {
            var at = stable.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0)
            {
                Text = stable[..at];
                delta = _emitted < Text.Length ? Text[_emitted..] : "";
                _emitted = Text.Length;
                return true;
            }
        }
        // Hold back a tail that could still become a stop string.
        var holdBack = 0;
        foreach (var stop in stopStrings)
        {
            for (var n = Math.Min(stop.Length - 1, stable.Length); n > holdBack; n--)
            {
                if (stable.AsSpan(stable.Length - n).SequenceEqual(stop.AsSpan(0, n)))
                {
                    holdBack = n;
                    break;
                }
            }
        }
        Text = stable;
        var end = Math.Max(_emitted, stable.Length - holdBack);
        delta = stable[_emitted..end];
        _emitted = end;
        return false;
    }

    /// <summary>Everything not yet emitted (the held-back tail); the full text is in <see cref="Text"/>.</summary>
    public string Flush()
    {
        Text = _decoded;
        var rest = _emitted < _decoded.Length ? _decoded[_emitted..] : "";
        _emitted = _decoded.Length;
        return rest;
    }
}
