using AscendAio.BindGen.Clang;
using AscendAio.BindGen.Model;
using AscendAio.BindGen.Settings;
using static AscendAio.BindGen.Clang.LibClang;

namespace AscendAio.BindGen.Reading;

/// <summary>What the headers contain, per header, plus notes on everything that was not translated.</summary>
internal sealed record ReadResult(IReadOnlyList<HeaderModel> Headers, IReadOnlyList<string> Notes);

/// <summary>
/// Parses the configured headers with libclang (one translation unit that includes them all, in settings order)
/// and attributes every declaration to the header it is spelled in; declarations from other files are ignored.
/// </summary>
internal sealed class HeaderReader
{
    private const string MainFileName = "__bindgen__.c";

    private readonly BindGenSettings _settings;
    private readonly string _includeDir;
    private readonly List<HeaderModel> _headers = [];
    private readonly Dictionary<string, HeaderModel> _headersByPath = [];
    private readonly HashSet<string> _excluded;
    private readonly HashSet<string> _usedExclusions = [];
    private readonly HashSet<string> _taken = []; // "kind name": first declaration wins (CANN repeats some)
    private readonly List<MacroCandidate> _macros = [];
    private readonly List<string> _notes = [];

    private HeaderReader(BindGenSettings settings, string repoRoot)
    {
        _settings = settings;
        _includeDir = Path.GetFullPath(Path.Combine(repoRoot, settings.IncludeDir));
        _excluded = [.. settings.Exclude];
        foreach (var header in settings.Headers)
        {
            var fullPath = Path.GetFullPath(Path.Combine(_includeDir, header.File));
            if (!File.Exists(fullPath))
            {
                if (header.Optional)
                {
                    _notes.Add($"optional header {header.File} does not exist; skipped");
                    continue;
                }
                throw new GeneratorException($"header {fullPath} (bindgen.json headers: {header.File}) does not exist");
            }
            var display = Path.GetRelativePath(repoRoot, fullPath).Replace('\\', '/');
            var model = new HeaderModel(header.Class, display, fullPath);
            _headers.Add(model);
            _headersByPath[fullPath] = model;
        }
    }

    public static ReadResult Read(BindGenSettings settings, string repoRoot)
    {
        var reader = new HeaderReader(settings, repoRoot);
        reader.ReadAll();
        return new ReadResult(reader._headers, reader._notes);
    }

    private void ReadAll()
    {
        var mainPath = Path.Combine(_includeDir, MainFileName);
        var includes = string.Concat(_headers.Select(h =>
            $"#include \"{Path.GetRelativePath(_includeDir, h.FullPath).Replace('\\', '/')}\"\n"));
        List<string> arguments = ["-x", "c", "-I" + _includeDir, .. BuiltinHeaders.Arguments, .. _settings.ClangArgs];

        using var unit = TranslationUnit.Parse(mainPath, includes, arguments);
        var diagnostics = unit.Diagnostics();
        var errors = diagnostics.Where(d => d.IsError).ToList();
        if (errors.Count > 0)
            throw new GeneratorException("the headers do not compile:\n" + string.Join("\n", errors.Select(e => e.Text)));
        foreach (var warning in diagnostics.Where(d => d.Severity == CXDiagnosticSeverity.Warning))
            _notes.Add("clang: " + warning.Text);

        var topLevel = unit.Cursor.Children();
        var tagNames = new TagNames();
        tagNames.Collect(topLevel);
        var types = new TypeTranslator(_settings.Remap, tagNames);
        var translator = new DeclarationTranslator(types, tagNames, unit);
        var unlisted = new SortedSet<string>(StringComparer.Ordinal);

        foreach (var cursor in topLevel)
        {
            var file = cursor.Position().File;
            if (!_headersByPath.TryGetValue(file, out var header))
            {
                if (file.StartsWith(_includeDir + Path.DirectorySeparatorChar, StringComparison.Ordinal) &&
                    cursor.Kind != CXCursorKind.InclusionDirective && cursor.Kind != CXCursorKind.MacroExpansion &&
                    file != Path.GetFullPath(mainPath))
                    unlisted.Add(Path.GetRelativePath(_includeDir, file));
                continue;
            }
            try
            {
                Visit(cursor, header, translator, unit);
            }
            catch (UnsupportedTypeException unsupported)
            {
                _notes.Add($"{header.DisplayPath}: {cursor.Spelling()} not translated: {unsupported.Message}");
            }
        }
        foreach (var path in unlisted)
            _notes.Add($"{path} is under the include root but not in bindgen.json; its declarations were skipped");

        foreach (var constant in MacroEvaluator.Evaluate(_macros, mainPath, includes, arguments, _notes))
            _macros.First(m => m.Name == constant.Name).Header.Constants.Add(constant);
        foreach (var header in _headers)
            header.Constants.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        foreach (var unused in _excluded.Except(_usedExclusions).Order(StringComparer.Ordinal))
            _notes.Add($"bindgen.json excludes {unused}, which no header declares");
    }

    private void Visit(CXCursor cursor, HeaderModel header, DeclarationTranslator translator, TranslationUnit unit)
    {
        switch (cursor.Kind)
        {
            case CXCursorKind.FunctionDecl:
                VisitFunction(cursor, header, translator);
                break;
            case CXCursorKind.EnumDecl when clang_isCursorDefinition(cursor) != 0:
                if (!translator.TagNames.HasName(cursor))
                {
                    foreach (var constant in translator.AnonymousEnumConstants(cursor))
                        if (Claim("constant", constant.Name))
                            header.Constants.Add(constant);
                }
                else if (Claim("type", translator.TagNames.NameOf(cursor)))
                    header.Enums.Add(translator.Enum(cursor, translator.TagNames.NameOf(cursor)));
                break;
            case CXCursorKind.StructDecl or CXCursorKind.UnionDecl:
                VisitRecord(cursor, header, translator);
                break;
            case CXCursorKind.TypedefDecl:
            {
                // `typedef struct X X;` with no definition anywhere declares an opaque handle type.
                var underlying = clang_getTypedefDeclUnderlyingType(cursor).Desugared();
                if (underlying.Kind == CXTypeKind.Record)
                    VisitRecord(clang_getTypeDeclaration(underlying), header, translator);
                break;
            }
            case CXCursorKind.VarDecl:
            {
                var name = cursor.Spelling();
                if (!Claim("constant", name))
                    break;
                var constant = translator.StaticConstant(cursor, out var whyNot);
                if (constant is null)
                    _notes.Add($"{header.DisplayPath}: {name} not translated: {whyNot}");
                else
                    header.Constants.Add(constant);
                break;
            }
            case CXCursorKind.MacroDefinition:
                VisitMacro(cursor, header, unit);
                break;
        }
    }

    private void VisitFunction(CXCursor cursor, HeaderModel header, DeclarationTranslator translator)
    {
        var name = cursor.Spelling();
        if (IsExcluded(name))
            return;
        if (clang_Cursor_isFunctionInlined(cursor) != 0 || clang_isCursorDefinition(cursor) != 0 ||
            clang_Cursor_getStorageClass(cursor) == CX_StorageClass.Static)
        {
            _notes.Add($"{header.DisplayPath}: {name} not translated: inline/static function (write it by hand in bindings/Manual)");
            return;
        }
        var function = translator.Function(cursor);
        if (_taken.Add("function " + name))
            header.Functions.Add(function);
    }

    private void VisitRecord(CXCursor cursor, HeaderModel header, DeclarationTranslator translator)
    {
        if (!translator.TagNames.HasName(cursor))
            return; // an anonymous record only exists as some field's type; that field reports it
        var name = translator.TagNames.NameOf(cursor);
        if (IsExcluded(name))
            return;
        var definition = clang_getCursorDefinition(cursor);
        if (definition.IsNull())
        {
            if (Claim("type", name))
                header.Opaques.Add(new OpaqueDecl(name));
            return;
        }
        // Only the definition itself is translated, in the header that spells it, with any nested named records.
        if (clang_isCursorDefinition(cursor) == 0 || cursor.Position().File != header.FullPath || !_taken.Add("type " + name))
            return;
        foreach (var child in cursor.Children())
            if (child.Kind is CXCursorKind.StructDecl or CXCursorKind.UnionDecl)
                VisitRecord(child, header, translator);
        header.Structs.Add(translator.Record(cursor, name));
    }

    private void VisitMacro(CXCursor cursor, HeaderModel header, TranslationUnit unit)
    {
        var name = cursor.Spelling();
        if (clang_Cursor_isMacroBuiltin(cursor) != 0 || IsExcluded(name))
            return;
        if (clang_Cursor_isMacroFunctionLike(cursor) != 0)
        {
            _notes.Add($"{header.DisplayPath}: function-like macro {name} not translated (write it by hand in bindings/Manual)");
            return;
        }
        var tokens = unit.Tokens(cursor);
        var body = tokens.Skip(1).Where(t => t.Kind != CXTokenKind.Comment).ToList();
        if (body.Count == 0)
            return; // include guards and feature flags carry no value
        if (Claim("constant", name))
            _macros.Add(new MacroCandidate(header, name, body, cursor.Position().Offset));
    }

    private bool Claim(string kind, string name) => !IsExcluded(name) && _taken.Add(kind + " " + name);

    private bool IsExcluded(string name)
    {
        if (!_excluded.Contains(name))
            return false;
        _usedExclusions.Add(name);
        return true;
    }
}
