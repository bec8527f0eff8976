namespace AscendAio.Router.Probing;

/// <summary>
/// How an instruct probe asks the small model (a bundle without category tokens, with a chat template): the
/// instruction appended to the request's last user turn, the word the model answers with per category, and text
/// that starts the answer. Null fields take the bundle's (bundle.json templates.probe_instruction, category_labels),
/// then the defaults. The special-token probe of the reference pair ignores them.
/// </summary>
public sealed record InstructProbeOptions
{
    /// <summary>Category → answer word, e.g. qa → "question". Each label's first token must differ from the others'.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>"{labels}" is replaced by the labels, e.g. "code, qa or math".</summary>
    public string? Instruction { get; init; }

    /// <summary>Text after the chat template's generation prompt (e.g. an empty think block); the label follows it.</summary>
    public string AnswerPrefix { get; init; } = "";
}
