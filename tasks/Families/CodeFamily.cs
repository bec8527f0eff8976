using AscendAio.Tasks.Tiny;

namespace AscendAio.Tasks.Families;

/// <summary>
/// HumanEval analog: an English spec of a small function; the answer is its Tiny body, scored by
/// running it on hidden inputs. The specs are a few compositional patterns (expression, branch,
/// accumulate, count) so a small model can learn the spec-to-program mapping.
/// </summary>
public static class CodeFamily
{
    private static readonly string[][] ParameterSets = [["x"], ["n"], ["a"], ["x", "y"], ["a", "b"], ["m", "n"], ["p", "q"]];
    private static readonly string[] FunctionNames = ["f", "g", "h", "solve", "calc"];

    public static TaskItem Generate(DeterministicRng rng, string id)
    {
        string[] ps = rng.Pick(ParameterSets);
        string fn = rng.Pick(FunctionNames);
        var (spec, body, loopParam) = rng.Next(4) switch
        {
            0 => ExpressionPattern(rng, ps),
            1 => BranchPattern(rng, ps),
            2 => AccumulatePattern(rng, ps),
            _ => CountPattern(rng, ps),
        };
        string request = $"Write the body of the Tiny function {fn}({string.Join(", ", ps)}): {spec}";
        var inputs = new long[5][];
        for (int t = 0; t < inputs.Length; t++)
        {
            inputs[t] = new long[ps.Length];
            for (int k = 0; k < ps.Length; k++)
                inputs[t][k] = ps[k] == loopParam ? rng.Next(0, 9) : rng.Next(-9, 21);
        }
        var program = TinyProgram.Parse(body);
        long[] expected = inputs.Select(args => program.Run(ps, args)).ToArray();
        return new TaskItem
        {
            Id = id,
            Family = TaskFamilies.Code,
            Category = TaskFamilies.Code,
            Request = request,
            Answer = body,
            Scorer = new ScorerData { Kind = "tiny-exec", Parameters = ps, Inputs = inputs, Expected = expected },
        };
    }

    /// <summary>A random expression over the given leaves, as (English, Tiny) with depth at most 2.</summary>
    internal static (string Words, string Code, bool IsLeaf) Expression(DeterministicRng rng, IReadOnlyList<string> leaves, int depth)
    {
        if (depth == 0 || rng.Next(3) == 0)
        {
            if (rng.Next(3) == 0)
            {
                string k = rng.Next(1, 10).ToString();
                return (k, k, true);
            }
            string v = rng.Pick(leaves);
            return (v, v, true);
        }
        var (lw, lc, ll) = Expression(rng, leaves, depth - 1);
        var (rw, rc, rl) = Expression(rng, leaves, depth - 1);
        string lp = ll ? lc : $"({lc})", rp = rl ? rc : $"({rc})";
        int op = rng.Next(4), modulus = rng.Next(2, 8);
        return op switch
        {
            0 => ($"the sum of {lw} and {rw}", $"{lp} + {rp}", false),
            1 => ($"the difference of {lw} and {rw}", $"{lp} - {rp}", false),
            2 => ($"the product of {lw} and {rw}", $"{lp} * {rp}", false),
            _ => ($"the remainder of {lw} divided by {modulus}", $"{lp} % {modulus}", false),
        };
    }

    private static (string Spec, string Body, string? LoopParam) ExpressionPattern(DeterministicRng rng, string[] ps)
    {
        var (w, c, _) = Expression(rng, ps, 2);
        return ($"return {w}.", $"return {c}", null);
    }

    private static (string Words, string Code) Condition(DeterministicRng rng, string[] ps)
    {
        string x = ps[0];
        int k = rng.Next(1, 10);
        int kind = rng.Next(ps.Length > 1 ? 5 : 3);
        return kind switch
        {
            0 => ($"{x} is less than {k}", $"{x} < {k}"),
            1 => ($"{x} is even", $"{x} % 2 == 0"),
            2 => ($"{x} is at least {k}", $"{x} >= {k}"),
            3 => ($"{x} is greater than {ps[1]}", $"{x} > {ps[1]}"),
            _ => ($"{x} equals {ps[1]}", $"{x} == {ps[1]}"),
        };
    }

    private static (string Spec, string Body, string? LoopParam) BranchPattern(DeterministicRng rng, string[] ps)
    {
        var (cw, cc) = Condition(rng, ps);
        var (tw, tc, _) = Expression(rng, ps, 1);
        var (ew, ec, _) = Expression(rng, ps, 1);
        return ($"if {cw}, return {tw}; otherwise return {ew}.",
            $"if {cc} then\nreturn {tc}\nend\nreturn {ec}", null);
    }

    private static (string Spec, string Body, string? LoopParam) AccumulatePattern(DeterministicRng rng, string[] ps)
    {
        string bound = ps[^1];
        var (tw, tc, tl) = Expression(rng, ["i"], 1);
        string term = tl ? tc : $"({tc})";
        int start = rng.Next(0, 3);
        bool product = rng.Next(4) == 0;
        string noun = product ? "product" : "sum";
        string body = $"let s = {(product ? 1 : 0)}\nfor i = {start} to {bound} do\ns = s {(product ? "*" : "+")} {term}\nend\nreturn s";
        return ($"return the {noun} of {tw} for i from {start} to {bound}.", body, bound);
    }

    private static (string Spec, string Body, string? LoopParam) CountPattern(DeterministicRng rng, string[] ps)
    {
        string bound = ps[^1];
        int k = rng.Next(2, 6);
        var (cw, cc) = rng.Next(3) switch
        {
            0 => ("i is divisible by " + k, $"i % {k} == 0"),
            1 => ("i is odd", "i % 2 == 1"),
            _ => ("i is greater than " + k, $"i > {k}"),
        };
        string body = $"let c = 0\nfor i = 1 to {bound} do\nif {cc} then\nc = c + 1\nend\nend\nreturn c";
        return ($"return how many i from 1 to {bound} satisfy: {cw}.", body, bound);
    }
}
