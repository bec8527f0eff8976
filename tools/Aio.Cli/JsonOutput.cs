using System.CommandLine;

namespace AscendAio.Cli;

/// <summary>
/// Where <see cref="SharedOptions.Json"/> sends a command's JSON document: nowhere (not given), stdout instead of the
/// tables (`--json`), or a file beside the tables on stdout (`--json FILE`).
/// </summary>
internal readonly record struct JsonOutput(bool Requested, string? File)
{
    /// <summary>The document replaces the tables on stdout.</summary>
    public bool OnStdout => Requested && File is null;

    /// <summary>The tables go to stdout (with or without a JSON file beside them).</summary>
    public bool Tables => !OnStdout;

    public static JsonOutput Of(ParseResult parse) => parse.GetResult(SharedOptions.Json) is { Implicit: false } result
        ? new JsonOutput(true, result.Tokens.Count > 0 ? result.Tokens[0].Value : null)
        : default;

    /// <summary>Writes <paramref name="document"/> where it was asked for; returns the file written, if any.</summary>
    public string? Write(string document)
    {
        if (!Requested)
            return null;
        if (File is null)
        {
            Console.WriteLine(document);
            return null;
        }
        if (Path.GetDirectoryName(Path.GetFullPath(File)) is { } folder)
            Directory.CreateDirectory(folder);
        System.IO.File.WriteAllText(File, document);
        return File;
    }
}
