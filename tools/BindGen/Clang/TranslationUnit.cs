using System.Text;
using static AscendAio.BindGen.Clang.LibClang;

namespace AscendAio.BindGen.Clang;

/// <summary>One parsed C source (an in-memory main file that includes the headers), with its diagnostics and tokens.</summary>
internal sealed unsafe class TranslationUnit : IDisposable
{
    private readonly CXIndex _index;
    private CXTranslationUnit _unit;

    private TranslationUnit(CXIndex index, CXTranslationUnit unit)
    {
        _index = index;
        _unit = unit;
    }

    public CXCursor Cursor => clang_getTranslationUnitCursor(_unit);

    /// <summary>
    /// Parses <paramref name="mainSource"/> as if it were the file <paramref name="mainPath"/> (which need not exist).
    /// Macros stay visible as cursors (detailed preprocessing record).
    /// </summary>
    public static TranslationUnit Parse(string mainPath, string mainSource, IReadOnlyList<string> arguments)
    {
        LibClangLoader.EnsureLoaded();
        var index = clang_createIndex(0, 0);
        var pathBytes = ClangExtensions.Utf8Z(mainPath);
        var sourceBytes = Encoding.UTF8.GetBytes(mainSource);
        var argumentBytes = arguments.Select(ClangExtensions.Utf8Z).ToArray();
        var argumentHandles = argumentBytes.Select(bytes => System.Runtime.InteropServices.GCHandle.Alloc(bytes,
            System.Runtime.InteropServices.GCHandleType.Pinned)).ToArray();
        try
        {
            var argumentPointers = stackalloc byte*[Math.Max(1, argumentBytes.Length)];
            for (var i = 0; i < argumentHandles.Length; i++)
                argumentPointers[i] = (byte*)argumentHandles[i].AddrOfPinnedObject();
            fixed (byte* path = pathBytes)
            fixed (byte* source = sourceBytes)
            {
                var unsaved = new CXUnsavedFile { Filename = path, Contents = source, Length = (nuint)sourceBytes.Length };
                CXTranslationUnit unit;
                var error = clang_parseTranslationUnit2(index, path, argumentPointers, argumentBytes.Length, &unsaved, 1,
                    CXTranslationUnitFlags.DetailedPreprocessingRecord | CXTranslationUnitFlags.SkipFunctionBodies, &unit);
                if (error != CXErrorCode.Success || unit.Handle == 0)
                {
                    clang_disposeIndex(index);
                    throw new GeneratorException($"libclang could not parse {mainPath} ({error}); arguments: {string.Join(' ', arguments)}");
                }
                return new TranslationUnit(index, unit);
            }
        }
        finally
        {
            foreach (var handle in argumentHandles)
                handle.Free();
        }
    }

    /// <summary>Every diagnostic the parse produced, formatted the way clang prints them.</summary>
    public IReadOnlyList<ClangDiagnostic> Diagnostics()
    {
        var count = clang_getNumDiagnostics(_unit);
        var options = clang_defaultDiagnosticDisplayOptions();
        var diagnostics = new List<ClangDiagnostic>((int)count);
        for (uint i = 0; i < count; i++)
        {
            var diagnostic = clang_getDiagnostic(_unit, i);
            try
            {
                diagnostics.Add(new ClangDiagnostic(
                    clang_getDiagnosticSeverity(diagnostic),
                    clang_getDiagnosticLocation(diagnostic).ExpansionPosition(),
                    clang_formatDiagnostic(diagnostic, options).ToManaged()));
            }
            finally
            {
                clang_disposeDiagnostic(diagnostic);
            }
        }
        return diagnostics;
    }

    /// <summary>The tokens a cursor spans (for a macro definition: its name, then its replacement list).</summary>
    public IReadOnlyList<ClangToken> Tokens(CXCursor cursor)
    {
        var extent = clang_getCursorExtent(cursor);
        CXToken* tokens;
        uint count;
        clang_tokenize(_unit, extent, &tokens, &count);
        try
        {
            var result = new List<ClangToken>((int)count);
            for (uint i = 0; i < count; i++)
                result.Add(new ClangToken(clang_getTokenKind(tokens[i]), clang_getTokenSpelling(_unit, tokens[i]).ToManaged(),
                    clang_getTokenLocation(_unit, tokens[i]).Position()));
            return result;
        }
        finally
        {
            if (tokens != null)
                clang_disposeTokens(_unit, tokens, count);
        }
    }

    public void Dispose()
    {
        if (_unit.Handle == 0)
            return;
        clang_disposeTranslationUnit(_unit);
        clang_disposeIndex(_index);
        _unit = default;
    }
}

internal sealed record ClangDiagnostic(CXDiagnosticSeverity Severity, SourcePosition Position, string Text)
{
    public bool IsError => Severity >= CXDiagnosticSeverity.Error;
}

internal sealed record ClangToken(CXTokenKind Kind, string Spelling, SourcePosition Position);
