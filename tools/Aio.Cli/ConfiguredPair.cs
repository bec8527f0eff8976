using AscendAio.Host.Configuration;
using AscendAio.Router;

namespace AscendAio.Cli;

/// <summary>
/// The small and large bundles of the configuration (aio.json, or --config FILE; --small / --large DIR override
/// models:small / models:large) and their served names, for the commands that run the pair outside the server
/// (bench, calibrate). The W8A16 baselines are the sibling bundles "&lt;bundle&gt;-w8a16" that `./build.sh` exports.
/// </summary>
internal sealed record ConfiguredPair(string Small, string Large, ModelNames Names)
{
    public const string QuantSuffix = "-w8a16";

    /// <summary>The pair of the configuration file <paramref name="config"/> (null: aio.json), with --small / --large applied.</summary>
    /// <exception cref="UsageException">The configuration is invalid or lacks one of the two models.</exception>
    public static ConfiguredPair Read(string? config, string? small, string? large)
    {
        var overrides = new List<KeyValuePair<string, string?>>();
        if (small is not null)
            overrides.Add(new("models:small", small));
        if (large is not null)
            overrides.Add(new("models:large", large));
        var report = AioConfiguration.Read(config, overrides);
        if (!report.IsValid)
            throw new UsageException("invalid configuration (run `aio config check` for details):" + string.Concat(report.Errors.Select(e => $"{Environment.NewLine}  {e}")));
        var models = report.Options!.Models;
        if (models.Small is null || models.Large is null)
            throw new UsageException($"this command runs the pair: configure models:{(models.Small is null ? "small" : "large")} (aio.json, --config FILE) or pass --{(models.Small is null ? "small" : "large")} DIR");
        return new ConfiguredPair(models.Small, models.Large, ServedNames.Resolve(models));
    }

    /// <summary>The W8A16 sibling of a bundle directory.</summary>
    public static string QuantOf(string bundle) => bundle.TrimEnd('/', '\\') + QuantSuffix;
}
