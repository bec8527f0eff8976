using System.Text;
using AscendAio.BindGen.Clang;
using AscendAio.BindGen.Model;

namespace AscendAio.BindGen.Reading;

/// <summary>An object-like macro from one of our headers: its name, replacement tokens and where it is defined.</summary>
internal sealed record MacroCandidate(HeaderModel Header, string Name, IReadOnlyList<ClangToken> Body, int Offset)
{
    /// <summary>The definition as written (whitespace collapsed), kept in [NativeTypeName] ("#define ACL_SUCCESS 0").</summary>
    public string Definition
    {
        get
        {
            var text = new StringBuilder("#define ").Append(Name).Append(' ');
            for (var i = 0; i < Body.Count; i++)
            {
                // A space only where the header has whitespace between the two tokens: "(-7)" stays "(-7)".
                var previous = i == 0 ? null : Body[i - 1];
                if (previous is not null && (previous.Position.Line != Body[i].Position.Line ||
                                             previous.Position.Offset + previous.Spelling.Length < Body[i].Position.Offset))
                    text.Append(' ');
                text.Append(Body[i].Spelling);
            }
            return text.ToString();
        }
    }
}

/// <summary>
/// Turns object-like macros into constants. String literals are decoded from their tokens; everything else is handed
/// to clang: a second parse declares <c>static const __typeof__((NAME)) v = (NAME);</c> for each macro, so clang
/// expands, type-checks and evaluates it with C's own rules (suffixes, casts, shifts, references to other macros).
/// </summary>
internal static class MacroEvaluator
{
    private const string VariablePrefix = "__bindgen_macro_";

    // Keywords that may appear in an integer constant expression (casts, sizeof).
    private static readonly HashSet<string> ExpressionKeywords =
        ["sizeof", "int", "unsigned", "signed", "long", "short", "char", "float", "double", "_Bool", "const", "struct", "union", "enum"];

    private static readonly HashSet<string> StatementPunctuation = ["{", "}", ";", "#", "##"];

    public static IReadOnlyList<ConstantDecl> Evaluate(IReadOnlyList<MacroCandidate> macros, string mainPath,
        string includes, IReadOnlyList<string> arguments, List<string> notes)
    {
        var constants = new List<ConstantDecl>();
        var expressions = new List<MacroCandidate>();
        foreach (var macro in macros)
        {
            var body = StripParentheses(macro.Body);
            if (body.Count > 0 && body.All(t => t.Kind == CXTokenKind.Literal && CLiterals.IsStringLiteral(t.Spelling)))
            {
                var text = string.Concat(body.Select(t => CLiterals.DecodeString(t.Spelling)));
                constants.Add(new ConstantDecl(macro.Name, "string", CSharpSyntax.StringLiteral(text), macro.Definition, macro.Offset));
            }
            else if (LooksLikeExpression(macro.Body, out var why))
                expressions.Add(macro);
            else
                notes.Add($"{macro.Header.DisplayPath}: macro {macro.Name} not translated: {why}");
        }
        if (expressions.Count > 0)
            constants.AddRange(EvaluateExpressions(expressions, mainPath, includes, arguments, notes));
        return constants;
    }

    private static IEnumerable<ConstantDecl> EvaluateExpressions(List<MacroCandidate> macros, string mainPath,
        string includes, IReadOnlyList<string> arguments, List<string> notes)
    {
        var source = new StringBuilder(includes);
        var firstLine = includes.Count(c => c == '\n') + 1;
        for (var i = 0; i < macros.Count; i++)
            source.Append($"static const __typeof__(({macros[i].Name})) {VariablePrefix}{i} = ({macros[i].Name});\n");

        using var unit = TranslationUnit.Parse(mainPath, source.ToString(), [.. arguments, "-ferror-limit=0"]);
        var mainFile = Path.GetFullPath(mainPath);
        var failedLines = unit.Diagnostics().Where(d => d.IsError && d.Position.File == mainFile)
            .ToLookup(d => d.Position.Line);
        var variables = unit.Cursor.Children()
            .Where(c => c.Kind == CXCursorKind.VarDecl && c.Spelling().StartsWith(VariablePrefix, StringComparison.Ordinal))
            .ToDictionary(c => int.Parse(c.Spelling()[VariablePrefix.Length..]));

        for (var i = 0; i < macros.Count; i++)
        {
            var macro = macros[i];
            var line = firstLine + i;
            ConstantValue? value = null;
            if (!failedLines.Contains(line) && variables.TryGetValue(i, out var variable))
                value = ConstantValue.Evaluate(variable, variable.Type(), SingleLiteral(macro.Body));
            if (value is null)
            {
                var reason = failedLines.Contains(line)
                    ? "not a constant expression (" + FirstMessage(failedLines[line].First().Text) + ")"
                    : "does not evaluate to an integer or floating constant";
                notes.Add($"{macro.Header.DisplayPath}: macro {macro.Name} not translated: {reason}");
                continue;
            }
            yield return new ConstantDecl(macro.Name, value.CSharpType, value.Literal, macro.Definition, macro.Offset);
        }
    }

    private static bool LooksLikeExpression(IReadOnlyList<ClangToken> body, out string why)
    {
        why = "";
        foreach (var token in body)
        {
            if (token.Kind == CXTokenKind.Keyword && !ExpressionKeywords.Contains(token.Spelling))
            {
                why = $"uses the keyword '{token.Spelling}'";
                return false;
            }
            if (token.Kind == CXTokenKind.Punctuation && StatementPunctuation.Contains(token.Spelling))
            {
                why = $"contains '{token.Spelling}'";
                return false;
            }
            if (token.Kind == CXTokenKind.Identifier && token.Spelling.StartsWith("__", StringComparison.Ordinal))
            {
                why = $"uses the compiler extension '{token.Spelling}'";
                return false;
            }
            if (token.Kind == CXTokenKind.Literal && CLiterals.IsStringLiteral(token.Spelling))
            {
                why = "mixes a string literal with other tokens";
                return false;
            }
        }
        return true;
    }

    // The C spelling of a macro that is one integer literal, so 0x0001ULL keeps its hex form.
    private static string? SingleLiteral(IReadOnlyList<ClangToken> body)
    {
        var stripped = StripParentheses(body);
        return stripped.Count == 1 && stripped[0].Kind == CXTokenKind.Literal ? stripped[0].Spelling : null;
    }

    private static IReadOnlyList<ClangToken> StripParentheses(IReadOnlyList<ClangToken> body)
    {
        var tokens = body;
        while (tokens.Count >= 2 && tokens[0].Spelling == "(" && tokens[^1].Spelling == ")" && EnclosesAll(tokens))
            tokens = tokens.Skip(1).Take(tokens.Count - 2).ToList();
        return tokens;
    }

    // True when the opening parenthesis closes at the very last token: "(1) | (2)" is not enclosed.
    private static bool EnclosesAll(IReadOnlyList<ClangToken> tokens)
    {
        var depth = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            depth += tokens[i].Spelling == "(" ? 1 : tokens[i].Spelling == ")" ? -1 : 0;
            if (depth == 0 && i < tokens.Count - 1)
                return false;
        }
        return depth == 0;
    }

    private static string FirstMessage(string diagnostic)
    {
        var line = diagnostic.Split('\n')[0];
        var error = line.IndexOf("error: ", StringComparison.Ordinal);
        return error >= 0 ? line[(error + 7)..] : line;
    }
}
