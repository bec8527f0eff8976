using System.Diagnostics;

namespace AscendAio.BindGen.Clang;

/// <summary>
/// Finds the compiler's builtin headers (stddef.h, stdint.h, …) for the packaged libclang, which ships without
/// clang's resource directory.
/// </summary>
/// <remarks>
/// The clang driver would find them in lib/clang/N/include next to itself; the NuGet package has no such folder, so a
/// bare <c>#include &lt;stddef.h&gt;</c> fails. The C compiler the build already needs (gcc or clang, <c>$CC</c> else
/// <c>cc</c>) reports its own builtin-header folder through <c>-print-file-name=include</c>; BindGen passes it as
/// <c>-isystem</c>, ahead of /usr/include, where clang's resource headers would sit.
/// </remarks>
internal static class BuiltinHeaders
{
    /// <summary>Environment variable naming the folder to use instead of asking the compiler.</summary>
    public const string PathVariable = "BINDGEN_BUILTIN_INCLUDE";

    private static readonly Lazy<string> Folder = new(Find);

    /// <summary>The clang arguments that put the builtin headers on the include path.</summary>
    public static IReadOnlyList<string> Arguments => ["-isystem", Folder.Value];

    private static string Find()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
            return HoldsStddef(fromEnvironment)
                ? fromEnvironment
                : throw new GeneratorException($"{PathVariable} names '{fromEnvironment}', which holds no stddef.h.");

        var compiler = Environment.GetEnvironmentVariable("CC");
        if (string.IsNullOrWhiteSpace(compiler))
            compiler = "cc";
        var folder = AskCompiler(compiler);
        if (folder is null || !HoldsStddef(folder))
            throw new GeneratorException(
                $"the C compiler '{compiler}' did not name a folder with its builtin headers (stddef.h) for " +
                $"'-print-file-name=include'; install a C compiler, set CC, or set {PathVariable} to the folder.");
        return folder;
    }

    private static string? AskCompiler(string compiler)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(compiler, "-print-file-name=include")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
                return null;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            // A compiler that does not know the file echoes the bare name back.
            return process.ExitCode == 0 && Path.IsPathRooted(output) ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static bool HoldsStddef(string folder) => File.Exists(Path.Combine(folder, "stddef.h"));
}
