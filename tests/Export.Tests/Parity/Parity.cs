namespace AscendAio.Export.Tests.Parity;

/// <summary>Error measures between a graph's float32 output and the float64 reference.</summary>
internal static class Parity
{
    /// <summary>Normwise relative error: max |actual - expected| / max |expected| over the compared values.</summary>
    public static double RelativeError(ReadOnlySpan<float> actual, IReadOnlyList<double> expected)
    {
        if (actual.Length != expected.Count)
            throw new ArgumentException($"{actual.Length} values vs {expected.Count} expected");
        double maxDiff = 0, maxRef = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(actual[i] - expected[i]));
            maxRef = Math.Max(maxRef, Math.Abs(expected[i]));
        }
        return maxRef == 0 ? maxDiff : maxDiff / maxRef;
    }

    /// <summary>The reference's key and value entries of one position as one kv_new row (layers, 2, kv_heads·head_dim).</summary>
    public static double[] KvRow(TestSupport.ReferenceResult reference, int position)
    {
        var layers = reference.Keys.Length;
        var width = reference.Keys[0][position].Length;
        var row = new double[layers * 2 * width];
        for (var l = 0; l < layers; l++)
        {
            reference.Keys[l][position].CopyTo(row, (l * 2) * width);
            reference.Values[l][position].CopyTo(row, (l * 2 + 1) * width);
        }
        return row;
    }

    /// <summary>The prompt followed by <paramref name="k"/> drafts: the reference's greedy continuation for the first <paramref name="correct"/>, then wrong tokens.</summary>
    public static List<int> WithDrafts(TestSupport.ReferenceForward reference, IReadOnlyList<int> prompt, int correct, int k, int vocab)
    {
        var sequence = prompt.ToList();
        for (var i = 0; i < k; i++)
        {
            var greedy = reference.Run(sequence).ArgMax(sequence.Count - 1);
            sequence.Add(i < correct ? greedy : (greedy + 1 + i) % vocab);
        }
        return sequence;
    }
}
