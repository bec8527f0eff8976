using System.Text;
using AscendAio.Engine.Generation;
using AscendAio.Engine.Tokenization;
using AscendAio.Host.OpenAi;

namespace AscendAio.Host.Server;

/// <summary>
/// One response's log probabilities: collects the updates' entries and writes those not yet sent in OpenAI's shapes,
/// with token texts from the generating model's tokenizer. A streamed chunk carries the entries of the tokens that
/// arrived since the previous chunk (tokens whose text a stop string holds back wait for the next chunk).
/// </summary>
/// <param name="promptLength">The prompt's length in characters: completions' text offsets count from the prompt's start.</param>
internal sealed class ResponseLogprobs(ITextTokenizer tokenizer, int promptLength)
{
    private readonly List<TokenLogprob> _pending = [];
    private HashSet<int>? _special;
    private int _offset = promptLength;

    public void Add(IReadOnlyList<TokenLogprob>? logprobs)
    {
        if (logprobs is not null)
            _pending.AddRange(logprobs);
    }

    public ChatLogprobs TakeChat()
    {
        var content = _pending.Select(p => new ChatTokenLogprob(Text(p.Token, out var bytes), p.Logprob, bytes,
            p.Top.Select(t => new ChatTopLogprob(Text(t.Token, out var topBytes), t.Logprob, topBytes)).ToArray())).ToArray();
        _pending.Clear();
        return new ChatLogprobs(content);
    }

    public CompletionLogprobs TakeCompletion()
    {
        var tokens = new string[_pending.Count];
        var offsets = new int[_pending.Count];
        var top = new IReadOnlyDictionary<string, double>[_pending.Count];
        for (var i = 0; i < _pending.Count; i++)
        {
            tokens[i] = Text(_pending[i].Token, out _);
            offsets[i] = _offset;
            if (!Special.Contains(_pending[i].Token))
                _offset += tokens[i].Length;   // a special token keeps its entry but is not in the text (decoding skips it)
            var alternatives = new Dictionary<string, double>();
            foreach (var t in _pending[i].Top)
                alternatives.TryAdd(Text(t.Token, out _), t.Logprob);   // two ids of one text: the likelier is listed
            top[i] = alternatives;
        }
        var logprobs = _pending.Select(p => (double)p.Logprob).ToArray();
        _pending.Clear();
        return new CompletionLogprobs(tokens, logprobs, top, offsets);
    }

    private HashSet<int> Special => _special ??= [.. tokenizer.SpecialTokens.Values];

    /// <summary>A token's text (U+FFFD where its bytes are part of a character, as OpenAI writes it) and its bytes.</summary>
    private string Text(int token, out int[] bytes)
    {
        var raw = tokenizer.TokenBytes(token);
        bytes = Array.ConvertAll(raw, b => (int)b);
        return Encoding.UTF8.GetString(raw);
    }
}
