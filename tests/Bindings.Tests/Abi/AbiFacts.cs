using System.Text.RegularExpressions;

namespace AscendAio.Bindings.Tests.Abi;

/// <summary>A function as CANN declares it: return type and parameter types (array parameters read as pointers).</summary>
public sealed record AbiFunction(string Name, string Return, IReadOnlyList<string> Parameters);

/// <summary>An enum or #define constant with its value as the C source writes it.</summary>
public sealed record AbiConstant(string Name, string Value);

/// <summary>A struct with its fields as C declarations, in order (array sizes as numbers).</summary>
public sealed record AbiStruct(string Name, IReadOnlyList<string> Fields)
{
    /// <summary>The field names, in order.</summary>
    public IEnumerable<string> FieldNames => Fields.Select(f => AbiFacts.DeclaredName(f));
}

/// <summary>The facts of native/abi/acl_abi.tsv (format in native/abi/README.md).</summary>
public sealed partial record AbiFacts(IReadOnlyList<AbiFunction> Functions, IReadOnlyList<AbiConstant> Constants, IReadOnlyList<AbiStruct> Structs)
{
    public static AbiFacts Read(string path) => Parse(File.ReadLines(path));

    public static AbiFacts Parse(IEnumerable<string> lines)
    {
        var functions = new List<AbiFunction>();
        var constants = new List<AbiConstant>();
        var structs = new List<AbiStruct>();
        foreach (var line in lines)
        {
            var fields = line.Split('\t');
            switch (fields[0])
            {
                case "func":
                    var parameters = fields[3].Trim() is "" or "void" ? [] : Declarations(fields[3]).Select(ParameterType).ToArray();
                    functions.Add(new AbiFunction(fields[1], fields[2], parameters));
                    break;
                case "enum":
                    constants.Add(new AbiConstant(fields[2], fields[3]));
                    break;
                case "define":
                    constants.Add(new AbiConstant(fields[1], fields[2]));
                    break;
                case "struct":
                    structs.Add(new AbiStruct(fields[1], Declarations(fields[2]).ToArray()));
                    break;
            }
        }
        return new AbiFacts(functions, constants, structs);
    }

    /// <summary>The name a declaration such as <c>int64_t dims[128]</c> declares (<c>dims</c>).</summary>
    public static string DeclaredName(string declaration) => Declaration().Match(declaration).Groups["name"].Value;

    private static IEnumerable<string> Declarations(string list) => list.Split(';').Select(p => p.Trim()).Where(p => p.Length > 0);

    private static string ParameterType(string parameter)
    {
        var match = Declaration().Match(parameter);
        var type = match.Groups["type"].Value.Trim();
        return match.Groups["array"].Success ? type + "*" : type;
    }

    [GeneratedRegex(@"^(?<type>.*?)(?<name>[A-Za-z_][A-Za-z0-9_]*)(?<array>\[[0-9]*\])*$")]
    private static partial Regex Declaration();
}
