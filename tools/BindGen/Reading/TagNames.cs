using AscendAio.BindGen.Clang;
using static AscendAio.BindGen.Clang.LibClang;

namespace AscendAio.BindGen.Reading;

/// <summary>
/// C# names for struct, union and enum declarations: the tag name, or for an anonymous tag
/// (<c>typedef struct { ... } X;</c>) the typedef that names it.
/// </summary>
internal sealed class TagNames
{
    private readonly Dictionary<string, string> _typedefNames = [];

    /// <summary>Records every typedef of an anonymous struct, union or enum in the translation unit.</summary>
    public void Collect(IEnumerable<CXCursor> topLevel)
    {
        foreach (var cursor in topLevel)
        {
            if (cursor.Kind != CXCursorKind.TypedefDecl)
                continue;
            var underlying = clang_getTypedefDeclUnderlyingType(cursor).Desugared();
            if (underlying.Kind is not (CXTypeKind.Record or CXTypeKind.Enum))
                continue;
            var declaration = clang_getTypeDeclaration(underlying);
            if (IsAnonymous(declaration))
                _typedefNames.TryAdd(Key(declaration), cursor.Spelling());
        }
    }

    public static bool IsAnonymous(CXCursor declaration)
    {
        var spelling = declaration.Spelling();
        return clang_Cursor_isAnonymous(declaration) != 0 || spelling.Length == 0 || spelling.Contains('(');
    }

    /// <summary>The C# name for a tag declaration; anonymous ones without a typedef name are rejected.</summary>
    public string NameOf(CXCursor declaration)
    {
        if (!IsAnonymous(declaration))
            return declaration.Spelling();
        if (_typedefNames.TryGetValue(Key(declaration), out var name))
            return name;
        throw new UnsupportedTypeException($"anonymous struct, union or enum at {declaration.Position()} has no typedef name");
    }

    public bool HasName(CXCursor declaration) => !IsAnonymous(declaration) || _typedefNames.ContainsKey(Key(declaration));

    private static string Key(CXCursor declaration)
    {
        var position = clang_getCanonicalCursor(declaration).Position();
        return $"{position.File}:{position.Offset}";
    }
}
