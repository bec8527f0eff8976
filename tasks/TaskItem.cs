using System.Text.Json.Serialization;

namespace AscendAio.Tasks;

/// <summary>
/// One evaluation or training example. <see cref="Category"/> is what the probe must predict
/// (code | qa | math); long items carry the category of the family they wrap.
/// </summary>
public sealed record TaskItem
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("family")] public required string Family { get; init; }
    [JsonPropertyName("category")] public required string Category { get; init; }
    [JsonPropertyName("request")] public required string Request { get; init; }
    /// <summary>A reference completion: what a perfect model writes after the answer marker.</summary>
    [JsonPropertyName("answer")] public required string Answer { get; init; }
    [JsonPropertyName("scorer")] public required ScorerData Scorer { get; init; }
}

/// <summary>What a scorer needs besides the completion; which fields are used depends on <see cref="Kind"/>.</summary>
public sealed record ScorerData
{
    /// <summary>tiny-exec | exact | number | letter | python-exec | unscorable</summary>
    [JsonPropertyName("kind")] public required string Kind { get; init; }
    [JsonPropertyName("gold")] public string? Gold { get; init; }
    /// <summary>Parameter names of the Tiny function the completion is the body of.</summary>
    [JsonPropertyName("parameters")] public string[]? Parameters { get; init; }
    /// <summary>Hidden test inputs, one array of arguments per test.</summary>
    [JsonPropertyName("inputs")] public long[][]? Inputs { get; init; }
    [JsonPropertyName("expected")] public long[]? Expected { get; init; }
    /// <summary>HumanEval: the prompt, test code and entry point run by a user-supplied interpreter.</summary>
    [JsonPropertyName("prompt")] public string? Prompt { get; init; }
    [JsonPropertyName("test")] public string? Test { get; init; }
    [JsonPropertyName("entry_point")] public string? EntryPoint { get; init; }
}

public static class TaskFamilies
{
    public const string Code = "code";
    public const string Qa = "qa";
    public const string Math = "math";
    public const string Long = "long";
    public const string Probe = "probe";

    public static readonly string[] Generated = [Code, Qa, Math, Long];
    public static readonly string[] Categories = [Code, Qa, Math];
}

public static class Splits
{
    public const string Train = "train";
    public const string Calibration = "calibration";
    public const string Test = "test";

    public static readonly string[] All = [Train, Calibration, Test];
}
