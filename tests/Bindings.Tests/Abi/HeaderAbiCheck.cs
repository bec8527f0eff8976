using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace AscendAio.Bindings.Tests.Abi;

/// <summary>What <see cref="HeaderAbiCheck.Run"/> found: the facts it checked and those the compiler refused.</summary>
public sealed record AbiReport(int Functions, int Constants, int Structs, IReadOnlyList<string> Mismatches, IReadOnlyList<string> MissingCore, string CompilerErrors)
{
    public bool Ok => Mismatches.Count == 0 && MissingCore.Count == 0 && CompilerErrors.Length == 0;

    public override string ToString() =>
        $"{Functions} functions, {Constants} constants and {Structs} structs checked; mismatched: [{string.Join(", ", Mismatches)}]; " +
        $"core functions not declared: [{string.Join(", ", MissingCore)}]" + (CompilerErrors.Length > 0 ? $"; compiler: {CompilerErrors}" : "");
}

/// <summary>
/// Checks the project's AscendCL headers against CANN's facts with the C compiler: for every function the headers
/// declare, a pointer of the facts' type must take its address without a warning turned error; every constant they
/// declare must equal the facts' value; every struct they declare must have the facts' size and field offsets. Each
/// check is named after its fact, so the compiler's errors say which ones differ.
/// </summary>
public static partial class HeaderAbiCheck
{
    /// <summary>The functions an offline-model inference application needs; the headers must declare each.</summary>
    public static readonly string[] CoreFunctions =
    [
        "aclInit", "aclFinalize", "aclrtSetDevice", "aclrtResetDevice", "aclrtCreateContext", "aclrtDestroyContext",
        "aclrtCreateStream", "aclrtDestroyStream", "aclrtSynchronizeStream", "aclrtMalloc", "aclrtFree", "aclrtMemcpy",
        "aclrtMemcpyAsync", "aclrtMemset", "aclrtGetMemInfo", "aclGetRecentErrMsg", "aclCreateDataBuffer", "aclDestroyDataBuffer",
        "aclGetDataBufferAddr", "aclGetDataBufferSizeV2", "aclmdlLoadFromFile", "aclmdlLoadFromMem", "aclmdlUnload",
        "aclmdlCreateDesc", "aclmdlDestroyDesc", "aclmdlGetDesc", "aclmdlGetNumInputs", "aclmdlGetNumOutputs",
        "aclmdlGetInputSizeByIndex", "aclmdlGetOutputSizeByIndex", "aclmdlGetInputDims", "aclmdlGetOutputDims",
        "aclmdlGetInputNameByIndex", "aclmdlGetOutputNameByIndex", "aclmdlCreateDataset", "aclmdlDestroyDataset",
        "aclmdlAddDatasetBuffer", "aclmdlGetDatasetBuffer", "aclmdlExecute", "aclmdlExecuteAsync", "aclrtCreateEvent",
        "aclrtRecordEvent", "aclrtSynchronizeEvent", "aclrtEventElapsedTime", "aclprofInit", "aclprofStart", "aclprofStop",
        "aclprofFinalize", "aclprofCreateConfig", "aclprofDestroyConfig",
    ];

    private static readonly string[] Headers = ["acl/acl.h", "acl/acl_prof.h"];

    public static AbiReport Run(string includeDirectory, AbiFacts facts)
    {
        var includes = string.Concat(Headers.Select(h => $"#include \"{h}\"\n"));
        var preprocessed = Compile(includeDirectory, "-E", includes, out var preprocessError);
        if (preprocessError.Length > 0)
            return new AbiReport(0, 0, 0, [], [], "headers do not preprocess: " + preprocessError);

        var functions = facts.Functions.Where(f => Regex.IsMatch(preprocessed, $@"\b{f.Name}\s*\(")).ToArray();
        var headerText = string.Concat(Directory.EnumerateFiles(includeDirectory, "*.h", SearchOption.AllDirectories).Select(File.ReadAllText));
        var constants = facts.Constants.Where(c => Regex.IsMatch(headerText, $@"\b{c.Name}\b")).DistinctBy(c => c.Name).ToArray();
        var structs = facts.Structs.Where(s => Regex.IsMatch(preprocessed, $@"(}}\s*{s.Name}\s*;|struct\s+{s.Name}\s*\{{)")).ToArray();

        var source = new StringBuilder(includes).Append("#include <stddef.h>\n");
        foreach (var f in functions)
            source.Append($"static void check_{f.Name}(void) {{ {f.Return} (*p)({(f.Parameters.Count == 0 ? "void" : string.Join(", ", f.Parameters))}) = {f.Name}; (void)p; }}\n");
        foreach (var c in constants)
            source.Append(c.Value.StartsWith('"')
                ? $"_Static_assert(sizeof({c.Name}) == sizeof({c.Value}), \"{c.Name}\");\n"   // string macros: same length (the value is checked by BindGen's tests)
                : $"_Static_assert((long long)({c.Name}) == (long long)({c.Value}), \"{c.Name}\");\n");
        foreach (var s in structs)
        {
            source.Append($"struct abi_{s.Name} {{ {string.Join(" ", s.Fields.Select(f => f + ";"))} }};\n");
            source.Append($"_Static_assert(sizeof({s.Name}) == sizeof(struct abi_{s.Name}), \"{s.Name}\");\n");
            foreach (var field in s.FieldNames)
                source.Append($"_Static_assert(offsetof({s.Name}, {field}) == offsetof(struct abi_{s.Name}, {field}), \"{s.Name}\");\n");
        }

        Compile(includeDirectory, "-fsyntax-only -std=c11 -Werror=incompatible-pointer-types -Werror=discarded-qualifiers -Wno-unused-function",
            source.ToString(), out var errors);
        var mismatches = CheckNames().Matches(errors).Select(m => m.Groups["name"].Value)
            .Concat(AssertNames().Matches(errors).Select(m => m.Groups["name"].Value))
            .Distinct().Order(StringComparer.Ordinal).ToArray();
        var missing = CoreFunctions.Where(c => !Regex.IsMatch(preprocessed, $@"\b{c}\s*\(")).ToArray();
        return new AbiReport(functions.Length, constants.Length, structs.Length, mismatches, missing, mismatches.Length > 0 ? "" : errors.Trim());
    }

    /// <summary>Runs the C compiler (<c>cc</c>, or <c>$CC</c>) on <paramref name="source"/>; its stdout returned, its diagnostics in <paramref name="errors"/> when it fails.</summary>
    private static string Compile(string includeDirectory, string arguments, string source, out string errors)
    {
        var compiler = Environment.GetEnvironmentVariable("CC") is { Length: > 0 } cc ? cc : "cc";
        var start = new ProcessStartInfo(compiler, $"{arguments} -I \"{includeDirectory}\" -x c -")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start the C compiler '{compiler}'");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(source);
        process.StandardInput.Close();
        process.WaitForExit();
        errors = process.ExitCode == 0 ? "" : stderr.Result;
        return stdout.Result;
    }

    [GeneratedRegex(@"check_(?<name>[A-Za-z0-9_]+)")]
    private static partial Regex CheckNames();

    [GeneratedRegex("static assertion failed: \"(?<name>[A-Za-z0-9_]+)\"")]
    private static partial Regex AssertNames();
}
