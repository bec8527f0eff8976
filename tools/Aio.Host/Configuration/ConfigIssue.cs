namespace AscendAio.Host.Configuration;

/// <summary>One problem found in the configuration: the key, where its value came from, and what is wrong.</summary>
public sealed record ConfigIssue(string Key, string Source, string Message)
{
    public override string ToString() => $"{Key} ({Source}): {Message}";
}

/// <summary>The configuration has errors; <see cref="Errors"/> lists every one of them.</summary>
public sealed class AioConfigException(IReadOnlyList<ConfigIssue> errors)
    : Exception($"invalid configuration ({errors.Count} error{(errors.Count == 1 ? "" : "s")}):" + string.Concat(errors.Select(e => $"{Environment.NewLine}  {e}")))
{
    public IReadOnlyList<ConfigIssue> Errors { get; } = errors;
}

/// <summary>What reading the configuration found: the options (when there are no errors), errors and warnings.</summary>
public sealed record ConfigReport(AioOptions? Options, IReadOnlyList<ConfigIssue> Errors, IReadOnlyList<ConfigIssue> Warnings)
{
    public bool IsValid => Errors.Count == 0;

    public AioOptions OptionsOrThrow() => IsValid ? Options! : throw new AioConfigException(Errors);
}
