using System.Text.Json;
using System.Text.Json.Serialization;

namespace AscendAio.BindGen.Settings;

/// <summary>tools/BindGen/bindgen.json: what to read, where to write, and how to name things.</summary>
public sealed class BindGenSettings
{
    /// <summary>Include root, relative to the repository root (headers are named relative to it).</summary>
    public string IncludeDir { get; init; } = "";

    /// <summary>The headers to read, in order, each with the static class its functions and constants go to.</summary>
    public List<HeaderSettings> Headers { get; init; } = [];

    public string Namespace { get; init; } = "";

    /// <summary>The C# expression used as a DllImport's library name (a const defined by hand), unless the header names its own.</summary>
    public string LibraryName { get; init; } = "";

    /// <summary>Output folder for the bindings, relative to the repository root.</summary>
    public string OutputDir { get; init; } = "";

    /// <summary>Output folder for the generated struct layout tests, relative to the repository root.</summary>
    public string TestOutputDir { get; init; } = "";

    public string TestNamespace { get; init; } = "";

    /// <summary>Extra arguments for clang (language standard, defines).</summary>
    public List<string> ClangArgs { get; init; } = [];

    /// <summary>C names (functions, constants, macros, enums, structs) that are not translated.</summary>
    public List<string> Exclude { get; init; } = [];

    /// <summary>C type spelling (e.g. "const char*") to C# type, applied before the built-in rules.</summary>
    public Dictionary<string, string> Remap { get; init; } = [];

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static BindGenSettings Load(string path)
    {
        if (!File.Exists(path))
            throw new GeneratorException($"settings file {path} does not exist");
        BindGenSettings? settings;
        try
        {
            settings = JsonSerializer.Deserialize<BindGenSettings>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException error)
        {
            throw new GeneratorException($"{path}: {error.Message}");
        }
        if (settings is null)
            throw new GeneratorException($"{path} is empty");
        settings.Validate(path);
        return settings;
    }

    private void Validate(string path)
    {
        Require(IncludeDir, "includeDir");
        Require(Namespace, "namespace");
        Require(LibraryName, "libraryName");
        Require(OutputDir, "outputDir");
        Require(TestOutputDir, "testOutputDir");
        Require(TestNamespace, "testNamespace");
        if (Headers.Count == 0)
            throw new GeneratorException($"{path}: \"headers\" lists no header");
        for (var i = 0; i < Headers.Count; i++)
        {
            Require(Headers[i].File, $"headers[{i}].file");
            Require(Headers[i].Class, $"headers[{i}].class");
        }
        var duplicate = Headers.GroupBy(h => h.Class).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new GeneratorException($"{path}: class \"{duplicate.Key}\" is given to more than one header");
        foreach (var (from, to) in Remap)
            if (string.IsNullOrWhiteSpace(from) || string.IsNullOrWhiteSpace(to))
                throw new GeneratorException($"{path}: remap entry \"{from}\" -> \"{to}\" has an empty side");

        void Require(string value, string name)
        {
            if (string.IsNullOrWhiteSpace(value))
                throw new GeneratorException($"{path}: \"{name}\" is missing or empty");
        }
    }
}

/// <summary>One header: its path under the include root and the class that receives its functions and constants.</summary>
public sealed class HeaderSettings
{
    public string File { get; init; } = "";

    public string Class { get; init; } = "";

    /// <summary>When true, a missing file is skipped instead of being an error.</summary>
    public bool Optional { get; init; }

    /// <summary>
    /// The DllImport library expression for this header's functions, when they live in another library than
    /// <see cref="BindGenSettings.LibraryName"/> (CANN ships acl_prof.h's functions in libmsprofiler.so).
    /// </summary>
    public string? Library { get; init; }
}
