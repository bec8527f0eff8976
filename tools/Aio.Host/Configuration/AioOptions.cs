using System.ComponentModel.DataAnnotations;

namespace AscendAio.Host.Configuration;

/// <summary>
/// Everything `aio serve` / `aio generate` need, read from one JSON file plus AIO_ environment variables and
/// command-line overrides (<see cref="AioConfiguration"/>). Paths are absolute once read. The configuration binder fills these types; their
/// properties are the configuration's keys (<see cref="OptionKeys"/>) and their annotations its value checks
/// (<see cref="AioOptionsValidator"/>, messages read "VALUE is out of range [MIN, MAX]").
/// </summary>
public sealed record AioOptions
{
    public DeviceOptions Device { get; init; } = new();

    public ModelOptions Models { get; init; } = new();

    /// <summary>Routing policy file (JSON); null = the router's default policy.</summary>
    public string? Policy { get; init; }

    public LimitOptions Limits { get; init; } = new();

    public ServerOptions Server { get; init; } = new();

    /// <summary>The configuration file the options came from, if any (set by the reader, not a configuration key).</summary>
    public string? SourceFile { get; internal init; }
}

public sealed record DeviceOptions
{
    private const string OutOfRange = LimitOptions.OutOfRange;

    /// <summary>AscendCL device id (aclrtSetDevice).</summary>
    [Range(0, 63, ErrorMessage = OutOfRange)]
    public int Id { get; init; }

    /// <summary>Optional aclInit JSON (on the CPU device: the "aio_cpu" object, e.g. device_memory_bytes).</summary>
    public string? AclConfig { get; init; }
}

/// <summary>
/// The bundle directories (written by `aio export`) and the names their models are served, reported and counted
/// under. A name not configured is the bundle's own model_name (bundle.json; `aio export --name`). Either model
/// alone serves requests naming it; the routed model "aio" needs both.
/// </summary>
public sealed record ModelOptions
{
    /// <summary>The probe / small model bundle; null = not configured.</summary>
    public string? Small { get; init; }

    /// <summary>The backbone / large model bundle; null = not configured.</summary>
    public string? Large { get; init; }

    /// <summary>The small model's served name (models:smallName); null = the bundle's model_name.</summary>
    public string? SmallName { get; init; }

    /// <summary>The large model's served name (models:largeName); null = the bundle's model_name.</summary>
    public string? LargeName { get; init; }
}

public sealed record LimitOptions
{
    /// <summary>A [Range] message; the reader puts the value in front: "0 is out of range [1, 1024]".</summary>
    internal const string OutOfRange = "out of range [{1}, {2}]";

    /// <summary>Prompt tokens a request may have (after the generation template is applied).</summary>
    [Range(1, 1 << 20, ErrorMessage = OutOfRange)]
    public int MaxPromptTokens { get; init; } = 2048;

    /// <summary>
    /// The largest request body in bytes (limits:maxRequestBytes); null = derived from <see cref="MaxPromptTokens"/>
    /// (<see cref="RequestBodyLimit"/>). Kestrel refuses a larger body with 413 before reading it: a prompt that
    /// cannot fit costs nothing to refuse.
    /// </summary>
    [Range(1024, int.MaxValue, ErrorMessage = OutOfRange)]
    public int? MaxRequestBytes { get; init; }

    /// <summary>
    /// Bytes a request body may carry: <see cref="MaxRequestBytes"/>, or <see cref="BodyBytesPerPromptToken"/> per prompt
    /// token plus <see cref="BodyOverheadBytes"/> for the JSON around it and the other fields.
    /// </summary>
    public long RequestBodyLimit => MaxRequestBytes ?? (long)MaxPromptTokens * BodyBytesPerPromptToken + BodyOverheadBytes;

    /// <summary>
    /// A token is a few characters of text; 32 bytes per token leaves room for JSON-escaped non-ASCII text
    /// (a \uXXXX escape is 6 bytes per UTF-16 unit) and long tokens, so no prompt under the token limit hits the byte limit.
    /// </summary>
    public const int BodyBytesPerPromptToken = 32;

    public const int BodyOverheadBytes = 64 * 1024;

    /// <summary>The largest max_tokens a request may ask for.</summary>
    [Range(1, 1 << 20, ErrorMessage = OutOfRange)]
    public int MaxNewTokens { get; init; } = 512;

    /// <summary>Requests that may wait for a sequence slot; beyond that the server answers 429.</summary>
    [Range(0, 1 << 16, ErrorMessage = OutOfRange)]
    public int QueueLength { get; init; } = 64;

    /// <summary>
    /// How long a request that finds the queue full waits for a place before the 429 (milliseconds; 0 refuses at once).
    /// Clients that retry every 429 at once then cost one refusal per wait, not a busy loop.
    /// </summary>
    [Range(0, 60_000, ErrorMessage = OutOfRange)]
    public int AdmissionWaitMs { get; init; } = 250;

    /// <summary>Sequences generating at once (each holds a KV cache on the device).</summary>
    [Range(1, 1024, ErrorMessage = OutOfRange)]
    public int ConcurrentSequences { get; init; } = 4;

    /// <summary>On shutdown, in-flight requests get this long to finish before they are cancelled.</summary>
    [Range(0.0, 3600.0, ErrorMessage = OutOfRange)]
    public double ShutdownGraceSeconds { get; init; } = 10;
}

public sealed record ServerOptions
{
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>';'-separated listen URLs, as ASP.NET Core's --urls.</summary>
    public string Urls { get; init; } = DefaultUrls;

    /// <summary>Bearer keys accepted on /v1/* and /metrics; empty = no authentication.</summary>
    public IReadOnlyList<string> ApiKeys { get; init; } = [];
}
