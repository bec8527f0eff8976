using AscendAio.BindGen.Clang;
using AscendAio.BindGen.Model;
using static AscendAio.BindGen.Clang.LibClang;

namespace AscendAio.BindGen.Reading;

/// <summary>Turns one libclang declaration (function, enum, struct, static const) into its model.</summary>
internal sealed class DeclarationTranslator(TypeTranslator types, TagNames tagNames, TranslationUnit unit)
{
    public FunctionDecl Function(CXCursor cursor)
    {
        // `f()` declares no prototype in C; CANN means "no arguments" (its headers are C++-first), and so do we.
        if (cursor.Type().Kind != CXTypeKind.FunctionNoProto && clang_isFunctionTypeVariadic(cursor.Type()) != 0)
            throw new UnsupportedTypeException("variadic function (write a hand-made overload in bindings/Manual)");
        var parameters = new List<ParameterDecl>();
        var count = clang_Cursor_getNumArguments(cursor);
        for (uint i = 0; i < Math.Max(0, count); i++)
        {
            var argument = clang_Cursor_getArgument(cursor, i);
            var name = argument.Spelling();
            parameters.Add(new ParameterDecl(name.Length == 0 ? $"param{i}" : name, types.Translate(argument.Type())));
        }
        return new FunctionDecl(cursor.Spelling(), types.Translate(clang_getCursorResultType(cursor)), parameters,
            cursor.Position().Offset);
    }

    public EnumDecl Enum(CXCursor cursor, string name)
    {
        var members = EnumValues(cursor);
        var underlying = CSharpSyntax.EnumUnderlyingType(members.Select(m => m.Value));
        return new EnumDecl(name, underlying == "int" ? null : underlying,
            members.Select(m => new EnumMember(m.Name, CSharpSyntax.IntegerLiteral(m.Value, m.Token))).ToList());
    }

    /// <summary>Members of an enum with no name at all become plain int-range constants of the header's class.</summary>
    public IEnumerable<ConstantDecl> AnonymousEnumConstants(CXCursor cursor) =>
        EnumValues(cursor).Select(m => new ConstantDecl(m.Name, CSharpSyntax.IntegerType(m.Value),
            CSharpSyntax.IntegerLiteral(m.Value, m.Token), null, m.Offset));

    private List<(string Name, Int128 Value, string? Token, int Offset)> EnumValues(CXCursor cursor)
    {
        var integerType = clang_getEnumDeclIntegerType(cursor).Canonical().Kind;
        var unsigned = integerType is CXTypeKind.UInt or CXTypeKind.ULong or CXTypeKind.ULongLong or CXTypeKind.UShort
            or CXTypeKind.UChar or CXTypeKind.Char_U or CXTypeKind.Bool;
        var members = new List<(string, Int128, string?, int)>();
        foreach (var child in cursor.Children())
        {
            if (child.Kind != CXCursorKind.EnumConstantDecl)
                continue;
            var value = unsigned ? (Int128)clang_getEnumConstantDeclUnsignedValue(child) : (Int128)clang_getEnumConstantDeclValue(child);
            members.Add((child.Spelling(), value, InitializerLiteral(child), child.Position().Offset));
        }
        return members;
    }

    // `NAME = 0x0100` keeps its hex spelling; anything else (implicit, expressions) is written as the value.
    private string? InitializerLiteral(CXCursor enumConstant)
    {
        var tokens = unit.Tokens(enumConstant);
        var isSingleLiteral = tokens.Count >= 3 && tokens[1].Spelling == "=" && tokens[2].Kind == CXTokenKind.Literal
            && (tokens.Count == 3 || tokens[3].Spelling is "," or "}");
        return isSingleLiteral ? tokens[2].Spelling : null;
    }

    public StructDecl Record(CXCursor cursor, string name)
    {
        var type = cursor.Type();
        var size = clang_Type_getSizeOf(type);
        var alignment = clang_Type_getAlignOf(type);
        if (size < 0 || alignment < 0)
            throw new UnsupportedTypeException($"libclang cannot lay out {name} (error {Math.Min(size, alignment)})");
        var fields = new List<FieldDecl>();
        foreach (var child in cursor.Children())
        {
            if (child.Kind != CXCursorKind.FieldDecl)
                continue;
            var fieldName = child.Spelling();
            if (fieldName.Length == 0 || TagNames.IsAnonymous(child))
                throw new UnsupportedTypeException("anonymous member struct or union");
            if (clang_Cursor_isBitField(child) != 0)
                throw new UnsupportedTypeException($"bit-field {fieldName}");
            var offsetBits = clang_Cursor_getOffsetOfField(child);
            if (offsetBits < 0 || offsetBits % 8 != 0)
                throw new UnsupportedTypeException($"field {fieldName} has no byte offset (libclang: {offsetBits})");
            if (OffsetByName(type, fieldName) != offsetBits)
                throw new GeneratorException($"{name}.{fieldName}: libclang reports two different offsets; refusing to guess the layout");
            fields.Add(Field(child, fieldName, offsetBits / 8));
        }
        return new StructDecl(name, cursor.Kind == CXCursorKind.UnionDecl, size, alignment, fields);
    }

    private static unsafe long OffsetByName(CXType record, string fieldName)
    {
        fixed (byte* utf8 = ClangExtensions.Utf8Z(fieldName))
            return clang_Type_getOffsetOf(record, utf8);
    }

    private FieldDecl Field(CXCursor field, string name, long offset)
    {
        var type = field.Type();
        var canonicalKind = type.Canonical().Kind;
        if (canonicalKind == CXTypeKind.IncompleteArray)
            throw new UnsupportedTypeException($"flexible array member {name}");
        if (canonicalKind != CXTypeKind.ConstantArray)
            return new FieldDecl(name, types.Translate(type), FieldShape.Plain, "", 0, offset);

        // Nested arrays (int64_t range[128][2]) are one contiguous run of elements in C: flatten them.
        long count = 1;
        var element = type;
        while (element.Canonical().Kind == CXTypeKind.ConstantArray)
        {
            element = Unsugar(element);
            count *= clang_getArraySize(element);
            element = clang_getArrayElementType(element);
        }
        var elementType = types.ToCSharp(element);
        if (elementType.EndsWith('*') || elementType.StartsWith("delegate*", StringComparison.Ordinal))
            elementType = "nint"; // pointers cannot be inline-array elements; same size, with the C spelling kept
        var shape = TypeTranslator.IsFixedBufferElement(elementType) ? FieldShape.FixedBuffer : FieldShape.InlineArray;
        return new FieldDecl(name, new TypeRef(elementType, type.Spelling()), shape, elementType, count, offset);
    }

    // Typedefs and `struct X` elaboration around an array type, down to the ConstantArray itself.
    private static CXType Unsugar(CXType type)
    {
        while (type.Kind != CXTypeKind.ConstantArray)
            type = type.Kind switch
            {
                CXTypeKind.Typedef => clang_getTypedefDeclUnderlyingType(clang_getTypeDeclaration(type)),
                CXTypeKind.Elaborated => clang_Type_getNamedType(type),
                _ => type.Canonical(),
            };
        return type;
    }

    /// <summary>A <c>static const</c> variable with a constant initializer, or null when it is not one.</summary>
    public ConstantDecl? StaticConstant(CXCursor cursor, out string? whyNot)
    {
        whyNot = null;
        var type = cursor.Type();
        if (clang_isConstQualifiedType(type) == 0 || clang_Cursor_getStorageClass(cursor) == CX_StorageClass.Extern)
        {
            whyNot = "global variable (data symbols are not bound; expose it through a function)";
            return null;
        }
        var value = ConstantValue.Evaluate(cursor, type);
        if (value is null)
        {
            whyNot = "initializer is not an integer, floating or string constant";
            return null;
        }
        var spelling = type.Spelling();
        var nativeSpelling = TypeTranslator.Normalize(spelling) == value.CSharpType ? null : spelling;
        return new ConstantDecl(cursor.Spelling(), value.CSharpType, value.Literal, nativeSpelling, cursor.Position().Offset);
    }

    public TagNames TagNames => tagNames;
}
