using System.Text;
using System.Text.RegularExpressions;
using AscendAio.BindGen.Clang;
using AscendAio.BindGen.Model;
using static AscendAio.BindGen.Clang.LibClang;

namespace AscendAio.BindGen.Reading;

/// <summary>A C type that has no blittable C# translation; the reader skips the declaration and says why.</summary>
internal sealed class UnsupportedTypeException(string message) : Exception(message);

/// <summary>
/// C type -> blittable C# type: exact-width integers, raw pointers, enums and structs by their C names,
/// function pointers as <c>delegate* unmanaged[Cdecl]</c>. Settings remaps are consulted first at every level.
/// </summary>
internal sealed partial class TypeTranslator
{
    // C types allowed as fixed-size buffer elements in C#.
    private static readonly HashSet<string> FixedBufferTypes =
        ["bool", "byte", "sbyte", "short", "ushort", "int", "uint", "long", "ulong", "char", "float", "double"];

    private readonly Dictionary<string, string> _remap;
    private readonly TagNames _tagNames;

    public TypeTranslator(IReadOnlyDictionary<string, string> remap, TagNames tagNames)
    {
        _remap = remap.ToDictionary(pair => Normalize(pair.Key), pair => pair.Value);
        _tagNames = tagNames;
    }

    /// <summary>The C# type plus the C spelling when the two differ (ignoring whitespace before '*').</summary>
    public TypeRef Translate(CXType type)
    {
        var csharp = ToCSharp(type);
        var spelling = type.Spelling();
        return new TypeRef(csharp, Normalize(spelling) == csharp ? null : spelling);
    }

    public static bool IsFixedBufferElement(string csharpType) => FixedBufferTypes.Contains(csharpType);

    public string ToCSharp(CXType type)
    {
        if (_remap.TryGetValue(Normalize(type.Spelling()), out var remapped))
            return remapped;
        switch (type.Kind)
        {
            case CXTypeKind.Elaborated:
                return ToCSharp(clang_Type_getNamedType(type));
            case CXTypeKind.Typedef:
            {
                var declaration = clang_getTypeDeclaration(type);
                var name = declaration.Spelling();
                if (_remap.TryGetValue(name, out remapped))
                    return remapped;
                // Pointer-sized integers keep their meaning instead of the platform's `unsigned long`.
                switch (name)
                {
                    case "size_t" or "uintptr_t": return "nuint";
                    case "ssize_t" or "ptrdiff_t" or "intptr_t": return "nint";
                }
                return ToCSharp(clang_getTypedefDeclUnderlyingType(declaration));
            }
            case CXTypeKind.Pointer:
            {
                var pointee = clang_getPointeeType(type);
                return IsFunction(pointee) ? FunctionPointer(pointee) : ToCSharp(pointee) + "*";
            }
            case CXTypeKind.ConstantArray or CXTypeKind.IncompleteArray:
                // Only parameters reach here (fields are handled by the reader): arrays decay to pointers.
                return ToCSharp(clang_getArrayElementType(type)) + "*";
            case CXTypeKind.Record:
                return _tagNames.NameOf(clang_getTypeDeclaration(type));
            case CXTypeKind.Enum:
                return _tagNames.NameOf(clang_getTypeDeclaration(type));
            case CXTypeKind.Unexposed when IsFunction(type):
                throw new UnsupportedTypeException($"function type '{type.Spelling()}' used by value");
            case CXTypeKind.Unexposed:
            {
                var canonical = type.Canonical();
                if (canonical.Kind == CXTypeKind.Unexposed)
                    throw new UnsupportedTypeException($"type '{type.Spelling()}' is not exposed by libclang");
                return ToCSharp(canonical);
            }
            default:
                return Builtin(type);
        }
    }

    private static string Builtin(CXType type) => type.Kind switch
    {
        CXTypeKind.Void => "void",
        CXTypeKind.Bool => "byte", // C bool is one byte; C# bool is not blittable in DllImport
        CXTypeKind.Char_S or CXTypeKind.SChar => "sbyte",
        CXTypeKind.Char_U or CXTypeKind.UChar => "byte",
        CXTypeKind.Short => "short",
        CXTypeKind.UShort or CXTypeKind.Char16 => "ushort",
        CXTypeKind.Int => "int",
        CXTypeKind.UInt or CXTypeKind.Char32 => "uint",
        CXTypeKind.Long => type.SizeOf() == 8 ? "long" : "int",
        CXTypeKind.ULong => type.SizeOf() == 8 ? "ulong" : "uint",
        CXTypeKind.LongLong => "long",
        CXTypeKind.ULongLong => "ulong",
        CXTypeKind.Float => "float",
        CXTypeKind.Double => "double",
        CXTypeKind.FunctionProto or CXTypeKind.FunctionNoProto =>
            throw new UnsupportedTypeException($"function type '{type.Spelling()}' used by value"),
        _ => throw new UnsupportedTypeException($"type '{type.Spelling()}' ({type.Kind}) has no blittable C# equivalent"),
    };

    // clang_getResultType looks through typedefs and parentheses, so it recognises every spelling of a function type.
    private static bool IsFunction(CXType type) => clang_getResultType(type).Kind != CXTypeKind.Invalid;

    private string FunctionPointer(CXType function)
    {
        if (clang_isFunctionTypeVariadic(function) != 0)
            throw new UnsupportedTypeException($"variadic function pointer '{function.Spelling()}'");
        var builder = new StringBuilder("delegate* unmanaged[Cdecl]<");
        var count = clang_getNumArgTypes(function);
        for (uint i = 0; i < Math.Max(0, count); i++)
            builder.Append(ToCSharp(clang_getArgType(function, i))).Append(", ");
        return builder.Append(ToCSharp(clang_getResultType(function))).Append('>').ToString();
    }

    /// <summary>C spelling with whitespace collapsed and no space before '*' or '[' ("const char *" -> "const char*").</summary>
    public static string Normalize(string spelling)
    {
        var collapsed = Whitespace().Replace(spelling.Trim(), " ");
        return SpaceBeforePunctuation().Replace(collapsed, "$1");
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\s+([*\[\]])")]
    private static partial Regex SpaceBeforePunctuation();
}
