using System.CommandLine;
using AscendAio.Engine.Acl;
using AscendAio.Engine.Planning;
using AscendAio.Export;
using AscendAio.Host.Backends;
using AscendAio.Host.Configuration;
using AscendAio.Router;

namespace AscendAio.Cli.Commands;

/// <summary>
/// `aio config check [--config FILE] [--deep] [--section:key=value ...]`: reads the configuration the way `aio serve` does
/// (file, then AIO_ environment variables, then command-line overrides), checks every value, bundle and the policy
/// file, and explains each problem with its key and where the value came from; then opens the configured device and
/// prints the device-memory plan (<see cref="ServingPlan"/>). --deep then loads the models and runs a short generation
/// through each served model (<see cref="SmokeRun"/>). Exit code 1 when there are errors or the plan does not fit.
/// </summary>
internal sealed class ConfigCommand : IDeclaredCommand
{
    private static readonly Option<bool> Deep = new("--deep") { Description = "also load the models and generate a few tokens with each served model" };

    public string Name => "config";

    public string Summary => "config check: validate aio.json (+ AIO_ env, --section:key=value overrides), explain every error, check the HBM plan";

    public void Declare(Command command)
    {
        command.Subcommands.Add(new Command("check", "read the configuration as `aio serve` does, explain every problem (key, value, where it came from), check the bundles and the HBM plan; exit 1 on errors")
        {
            SharedOptions.Config, Deep, ConfigOverrides.Option,
        });
        command.Validators.Add(result =>
        {
            if (result.Command == command)
                result.AddError("expected 'check' (aio config check [--config FILE] [--deep] [--section:key=value ...])");
        });
    }

    public int Run(ParseResult parse)
    {
        var path = parse.GetValue(SharedOptions.Config);
        var report = AioConfiguration.Read(path, ConfigOverrides.Of(parse));
        var file = path ?? (File.Exists(AioConfiguration.DefaultFileName) ? AioConfiguration.DefaultFileName : "(no file; defaults, environment and overrides)");
        Console.WriteLine($"configuration: {file}");
        foreach (var error in report.Errors)
            Console.WriteLine($"  error   {error.Key}  [{error.Source}]{Environment.NewLine}          {error.Message}");
        foreach (var warning in report.Warnings)
            Console.WriteLine($"  warning {warning.Key}  [{warning.Source}]{Environment.NewLine}          {warning.Message}");
        if (!report.IsValid)
        {
            Console.WriteLine($"{report.Errors.Count} error(s), {report.Warnings.Count} warning(s)");
            return 1;
        }
        Print(report.Options!);
        var bundleProblems = CheckBundles(report.Options!);
        if (bundleProblems > 0)
        {
            Console.WriteLine($"{bundleProblems} error(s) in the bundles, {report.Warnings.Count} warning(s)");
            return 1;
        }
        if (CheckPlan(report.Options!) is false)
        {
            Console.WriteLine($"1 error (the HBM plan does not fit), {report.Warnings.Count} warning(s)");
            return 1;
        }
        if (parse.GetValue(Deep) && DeepCheck(report.Options!) is var failed and > 0)
        {
            Console.WriteLine($"{failed} error(s) in the load-and-run check, {report.Warnings.Count} warning(s)");
            return 1;
        }
        Console.WriteLine($"ok: no errors, {report.Warnings.Count} warning(s)");
        return 0;
    }

    /// <summary>--deep: loads the models as `aio serve` does and generates a couple of tokens with each served model (<see cref="SmokeRun"/>).</summary>
    private static int DeepCheck(AioOptions options)
    {
        var failed = 0;
        foreach (var outcome in SmokeRun.Run(options))
        {
            if (outcome.Problem is null)
            {
                Console.WriteLine($"  deep    {outcome.Model}: loaded and generated {outcome.Tokens} token(s) in {outcome.Milliseconds:F0} ms");
                continue;
            }
            Console.WriteLine($"  error   deep {outcome.Model}{Environment.NewLine}          {outcome.Problem}");
            failed++;
        }
        return failed;
    }

    /// <summary>Checks each configured bundle on disk (<see cref="BundleCheck"/>); prints and counts the problems.</summary>
    private static int CheckBundles(AioOptions options)
    {
        var count = 0;
        foreach (var (key, directory) in new[] { ("models:small", options.Models.Small), ("models:large", options.Models.Large) })
        {
            if (directory is null)
                continue;
            foreach (var problem in BundleCheck.Problems(directory))
            {
                Console.WriteLine($"  error   {key}  [{directory}]{Environment.NewLine}          {problem}");
                count++;
            }
        }
        return count;
    }

    /// <summary>Prints the device-memory plan; false when it does not fit, null when the device cannot be asked.</summary>
    private static bool? CheckPlan(AioOptions options)
    {
        HbmPlan plan;
        try
        {
            plan = ServingPlan.ForConfiguredDevice(options);
        }
        catch (Exception e) when (e is DllNotFoundException or AclException or ArgumentOutOfRangeException)
        {
            Console.WriteLine($"  warning HBM plan  not checked: the device cannot be opened ({e.Message}); plan offline with `aio plan`");
            return null;
        }
        PlanTable.Write(Console.Out, plan);
        if (!plan.Fits)
            Console.WriteLine($"  error   HBM plan  [limits:concurrentSequences, limits:maxPromptTokens + limits:maxNewTokens]{Environment.NewLine}" +
                              $"          lower them to what fits: {plan.Verdict()}");
        return plan.Fits;
    }

    /// <summary>Reads the configuration or prints every error and returns null.</summary>
    public static AioOptions? ReadOrReport(string? path, IEnumerable<KeyValuePair<string, string?>> overrides, string command)
    {
        var report = AioConfiguration.Read(path, overrides);
        foreach (var warning in report.Warnings)
            Console.Error.WriteLine($"aio {command}: warning: {warning}");
        if (report.IsValid)
            return report.Options;
        Console.Error.WriteLine($"aio {command}: invalid configuration (run `aio config check` for details):");
        foreach (var error in report.Errors)
            Console.Error.WriteLine($"  {error}");
        return null;
    }

    /// <summary>Loads the serving stack, or prints why the device-memory plan refuses it and returns null.</summary>
    public static ServingStack? LoadOrReport(AioOptions options, string command, bool loadSmall = true, bool loadLarge = true, bool batched = true)
    {
        try
        {
            return ServingStack.Load(options, loadSmall, loadLarge, batched);
        }
        catch (HbmPlanException e)
        {
            Console.Error.WriteLine($"aio {command}: {e.Message}");
            PlanTable.Write(Console.Error, e.Plan);
            return null;
        }
        catch (Exception e) when (e is AclException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException)
        {
            // A damaged or mismatched bundle (a chat template the renderer refuses included), a missing .om, a graph the device cannot load: nothing stays loaded.
            Console.Error.WriteLine($"aio {command}: cannot load the models: {e.Message}");
            return null;
        }
    }

    private static ModelNames? ServedNamesOrNull(ModelOptions models)
    {
        try
        {
            return ServedNames.Resolve(models);
        }
        catch (AioConfigException)
        {
            return null; // already reported by the check
        }
    }

    private static void Print(AioOptions o)
    {
        Console.WriteLine($"  device        id {o.Device.Id}{(o.Device.AclConfig is { } acl ? $", aclInit config {acl}" : "")}");
        var names = ServedNamesOrNull(o.Models);
        foreach (var (role, bundle) in new[] { (ModelRole.Small, o.Models.Small), (ModelRole.Large, o.Models.Large) })
        {
            var served = names?.Has(role) == true ? $" (served as {names.Of(role)})" : "";
            Console.WriteLine($"  {"models:" + role.RoleName(),-14}{bundle ?? "(not configured)"}{served}");
        }
        Console.WriteLine($"  policy        {o.Policy ?? "(the router's default 'aio' policy)"}");
        Console.WriteLine($"  limits        max prompt {o.Limits.MaxPromptTokens} tokens, max new {o.Limits.MaxNewTokens}, " +
                          $"{o.Limits.ConcurrentSequences} concurrent sequences, queue {o.Limits.QueueLength}, shutdown grace {o.Limits.ShutdownGraceSeconds} s");
        Console.WriteLine($"  server        {o.Server.Urls}, {(o.Server.ApiKeys.Count == 0 ? "no API keys (open)" : $"{o.Server.ApiKeys.Count} API key(s)")}");
    }
}
