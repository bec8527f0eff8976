namespace AscendAio.BindGen.Model;

// What the reader extracts from the headers, already translated to C# spellings. The emitters only format these.

/// <summary>A C# type and, when it differs from the C spelling, the C spelling kept in [NativeTypeName].</summary>
internal sealed record TypeRef(string CSharp, string? NativeSpelling);

internal sealed record ParameterDecl(string Name, TypeRef Type);

internal sealed record FunctionDecl(string Name, TypeRef Return, IReadOnlyList<ParameterDecl> Parameters, int Offset);

internal enum ConstantKind { Integer, Float, Double, String }

/// <summary>
/// A constant for the header's class. <see cref="Literal"/> is the C# literal (hex kept as written in C);
/// <see cref="CSharpType"/> is chosen from the value's range for integers.
/// </summary>
internal sealed record ConstantDecl(string Name, string CSharpType, string Literal, string? NativeSpelling, int Offset);

internal sealed record EnumMember(string Name, string Literal);

/// <summary>A C enum; <see cref="UnderlyingType"/> is null for int.</summary>
internal sealed record EnumDecl(string Name, string? UnderlyingType, IReadOnlyList<EnumMember> Members);

internal enum FieldShape { Plain, FixedBuffer, InlineArray }

/// <summary>A struct field; arrays carry the element type and the total element count (nested arrays are flattened).</summary>
internal sealed record FieldDecl(string Name, TypeRef Type, FieldShape Shape, string ElementType, long Count, long Offset);

/// <summary>A struct or union with its C layout as libclang computed it.</summary>
internal sealed record StructDecl(string Name, bool IsUnion, long Size, long Alignment, IReadOnlyList<FieldDecl> Fields);

/// <summary>A struct that is declared but never defined: only pointers to it cross the ABI.</summary>
internal sealed record OpaqueDecl(string Name);

/// <summary>Everything one header contributes, in header order.</summary>
internal sealed class HeaderModel(string className, string displayPath, string fullPath)
{
    public string ClassName { get; } = className;

    /// <summary>The header's path relative to the repository root, with forward slashes (for banners).</summary>
    public string DisplayPath { get; } = displayPath;

    public string FullPath { get; } = fullPath;

    public List<ConstantDecl> Constants { get; } = [];
    public List<FunctionDecl> Functions { get; } = [];
    public List<EnumDecl> Enums { get; } = [];
    public List<StructDecl> Structs { get; } = [];
    public List<OpaqueDecl> Opaques { get; } = [];

    public bool HasClassMembers => Constants.Count > 0 || Functions.Count > 0;
}
