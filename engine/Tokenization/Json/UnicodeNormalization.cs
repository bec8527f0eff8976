using System.Text;

namespace AscendAio.Engine.Tokenization.Json;

/// <summary>
/// Canonical Unicode normalization (NFD, NFC) over generated tables. The repo runs with InvariantGlobalization,
/// where string.Normalize returns its input unchanged, so Qwen's NFC normalizer cannot rely on the runtime.
/// </summary>
internal static class UnicodeNormalization
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    private static readonly Dictionary<int, (int First, int Second)> Decompositions = BuildDecompositions();
    private static readonly Dictionary<int, int> Classes = BuildClasses();
    private static readonly Dictionary<long, int> Compositions = BuildCompositions();

    public static string Nfd(string text) => IsBelow(text, 0xC0) ? text : FromCodePoints(Decompose(text));

    public static string Nfc(string text) => IsBelow(text, 0x300) ? text : FromCodePoints(Compose(Decompose(text)));

    private static bool IsBelow(string text, int limit)
    {
        foreach (var c in text)
        {
            if (c >= limit)
                return false;
        }
        return true;
    }

    private static List<int> Decompose(string text)
    {
        var result = new List<int>(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
            DecomposeInto(rune.Value, result);
        // Canonical ordering: stable sort of each run of non-starters by combining class.
        for (var i = 1; i < result.Count; i++)
        {
            var cls = ClassOf(result[i]);
            if (cls == 0)
                continue;
            for (var j = i; j > 0 && ClassOf(result[j - 1]) > cls; j--)
                (result[j - 1], result[j]) = (result[j], result[j - 1]);
        }
        return result;
    }

    private static void DecomposeInto(int cp, List<int> output)
    {
        if (cp is >= SBase and < SBase + SCount)
        {
            var s = cp - SBase;
            output.Add(LBase + s / NCount);
            output.Add(VBase + s % NCount / TCount);
            if (s % TCount != 0)
                output.Add(TBase + s % TCount);
            return;
        }
        if (!Decompositions.TryGetValue(cp, out var d))
        {
            output.Add(cp);
            return;
        }
        DecomposeInto(d.First, output);
        if (d.Second >= 0)
            DecomposeInto(d.Second, output);
    }

    // The canonical composition algorithm of UAX #15: a character composes with the last starter unless blocked.
    private static List<int> Compose(List<int> cps)
    {
        if (cps.Count == 0)
            return cps;
        var starterPos = 0;
        var starter = cps[0];
        var lastClass = ClassOf(starter) == 0 ? 0 : 256;
        var write = 1;
        for (var read = 1; read < cps.Count; read++)
        {
            var cp = cps[read];
            var cls = ClassOf(cp);
            var composite = ComposePair(starter, cp);
            if (composite >= 0 && (lastClass < cls || lastClass == 0))
            {
                cps[starterPos] = composite;
                starter = composite;
                continue;
            }
            if (cls == 0)
            {
                starterPos = write;
                starter = cp;
            }
            lastClass = cls;
            cps[write++] = cp;
        }
        cps.RemoveRange(write, cps.Count - write);
        return cps;
    }

    private static int ComposePair(int first, int second)
    {
        if (first is >= LBase and < LBase + LCount && second is >= VBase and < VBase + VCount)
            return SBase + ((first - LBase) * VCount + (second - VBase)) * TCount;
        if (first is >= SBase and < SBase + SCount && (first - SBase) % TCount == 0 && second is > TBase and < TBase + TCount)
            return first + (second - TBase);
        return Compositions.TryGetValue(((long)first << 21) | (uint)second, out var c) ? c : -1;
    }

    private static int ClassOf(int cp) => Classes.TryGetValue(cp, out var c) ? c : 0;

    private static string FromCodePoints(List<int> cps)
    {
        var sb = new StringBuilder(cps.Count);
        foreach (var cp in cps)
        {
            if (Rune.IsValid(cp))
                sb.Append(new Rune(cp).ToString());
            else
                sb.Append((char)cp); // a lone surrogate passes through as it came
        }
        return sb.ToString();
    }

    private static Dictionary<int, (int, int)> BuildDecompositions()
    {
        var data = UnicodeNormalizationData.Decompositions;
        var map = new Dictionary<int, (int, int)>(data.Length / 3);
        for (var i = 0; i < data.Length; i += 3)
            map[data[i]] = (data[i + 1], data[i + 2]);
        return map;
    }

    private static Dictionary<int, int> BuildClasses()
    {
        var data = UnicodeNormalizationData.CombiningClasses;
        var map = new Dictionary<int, int>(data.Length / 2);
        for (var i = 0; i < data.Length; i += 2)
            map[data[i]] = data[i + 1];
        return map;
    }

    private static Dictionary<long, int> BuildCompositions()
    {
        var excluded = UnicodeNormalizationData.CompositionExclusions.ToHashSet();
        var map = new Dictionary<long, int>();
        var data = UnicodeNormalizationData.Decompositions;
        for (var i = 0; i < data.Length; i += 3)
        {
            if (data[i + 2] >= 0 && !excluded.Contains(data[i]))
                map[((long)data[i + 1] << 21) | (uint)data[i + 2]] = data[i];
        }
        return map;
    }
}
