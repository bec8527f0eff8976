using System.Reflection;

namespace AscendAio.Host.Configuration;

/// <summary>One configuration key the options types bind: its path ("limits:maxNewTokens") and the CLR type it takes.</summary>
internal sealed record OptionKey(string Path, Type Type, bool IsList);

/// <summary>
/// The configuration keys, derived from the options types the binder fills (<see cref="AioOptions"/>): every public
/// settable property, camel-cased as aio.json spells it, sections nested with ':'. A new option is a known key as
/// soon as it is a property.
/// </summary>
internal static class OptionKeys
{
    public static IReadOnlyList<OptionKey> All { get; } = Walk(typeof(AioOptions), "").ToArray();

    /// <summary>The option sections (objects) with their path prefix, the root first ("" for <see cref="AioOptions"/>).</summary>
    public static IEnumerable<(string Prefix, object Section)> Sections(object options, string prefix = "")
    {
        yield return (prefix, options);
        foreach (var property in Bindable(options.GetType()).Where(p => IsSection(p.PropertyType)))
        {
            if (property.GetValue(options) is { } section)
                foreach (var nested in Sections(section, Join(prefix, property.Name)))
                    yield return nested;
        }
    }

    public static string Join(string prefix, string propertyName)
    {
        var key = char.ToLowerInvariant(propertyName[0]) + propertyName[1..];
        return prefix.Length == 0 ? key : $"{prefix}:{key}";
    }

    private static IEnumerable<OptionKey> Walk(Type type, string prefix)
    {
        foreach (var property in Bindable(type))
        {
            var path = Join(prefix, property.Name);
            if (IsSection(property.PropertyType))
            {
                foreach (var nested in Walk(property.PropertyType, path))
                    yield return nested;
            }
            else
            {
                var isList = property.PropertyType != typeof(string) && property.PropertyType.IsAssignableTo(typeof(System.Collections.IEnumerable));
                yield return new OptionKey(path, property.PropertyType, isList);
            }
        }
    }

    /// <summary>What ConfigurationBinder sets: public instance properties with a public setter.</summary>
    private static IEnumerable<PropertyInfo> Bindable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true });

    private static bool IsSection(Type type) =>
        type.IsClass && type != typeof(string) && !type.IsAssignableTo(typeof(System.Collections.IEnumerable));
}
