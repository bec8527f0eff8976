using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AscendAio.Host.Configuration;

/// <summary>
/// Validates <see cref="AioOptions"/> by the data annotations on its sections ([Range] on the limits, …), naming each
/// failure by its configuration key. The checks that need the file system or more than one key (bundles, policy file,
/// URLs, API keys) are <see cref="OptionsReader"/>'s.
/// </summary>
public sealed class AioOptionsValidator : IValidateOptions<AioOptions>
{
    public ValidateOptionsResult Validate(string? name, AioOptions options)
    {
        var failures = Failures(options).Select(f => $"{f.Key}: {f.Message}").ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Every annotation failure as (configuration key, message), in declaration order.</summary>
    internal static IEnumerable<(string Key, string Message)> Failures(AioOptions options)
    {
        foreach (var (prefix, section) in OptionKeys.Sections(options))
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(section, new ValidationContext(section), results, validateAllProperties: true);
            foreach (var result in results)
                foreach (var member in result.MemberNames)
                    yield return (OptionKeys.Join(prefix, member), result.ErrorMessage ?? "is not valid");
        }
    }
}
