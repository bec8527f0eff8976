using AscendAio.BindGen.Emit;
using AscendAio.BindGen.Output;
using AscendAio.BindGen.Reading;
using AscendAio.BindGen.Settings;

namespace AscendAio.BindGen;

/// <summary>The generated files for a repository, with notes on what was not translated.</summary>
public sealed record Generation(GeneratedFiles Files, IReadOnlyList<string> Notes);

/// <summary>Settings + headers -> the full set of generated binding and layout-test files, in memory.</summary>
public static class Generator
{
    public static Generation Run(BindGenSettings settings, string repoRoot)
    {
        var read = HeaderReader.Read(settings, repoRoot);
        var outputDir = settings.OutputDir.Replace('\\', '/').TrimEnd('/');
        var testDir = settings.TestOutputDir.Replace('\\', '/').TrimEnd('/');
        var files = new GeneratedFiles(repoRoot, [outputDir, testDir]);
        var bindings = new BindingEmitter(settings.Namespace);
        var libraries = settings.Headers.ToDictionary(h => h.Class, h => h.Library ?? settings.LibraryName, StringComparer.Ordinal);
        var tests = new LayoutTestEmitter(settings.Namespace, settings.TestNamespace);

        files.Add($"{outputDir}/{BindingEmitter.AttributeFileName}", bindings.NativeTypeNameAttribute());
        foreach (var header in read.Headers)
        {
            if (header.HasClassMembers)
                files.Add($"{outputDir}/{header.ClassName}.cs", bindings.HeaderClass(header, libraries[header.ClassName]));
            foreach (var declaration in header.Enums)
                files.Add($"{outputDir}/{declaration.Name}.cs", bindings.Enum(header, declaration));
            foreach (var declaration in header.Opaques)
                files.Add($"{outputDir}/{declaration.Name}.cs", bindings.Opaque(header, declaration));
            foreach (var declaration in header.Structs)
            {
                files.Add($"{outputDir}/{declaration.Name}.cs", bindings.Struct(header, declaration));
                files.Add($"{testDir}/{LayoutTestEmitter.ClassName(declaration)}.cs", tests.Tests(header, declaration));
            }
        }
        return new Generation(files, read.Notes);
    }
}
