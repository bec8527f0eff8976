using AscendAio.Engine.Bundles;
using AscendAio.TestSupport;

namespace AscendAio.Export.Tests.Parity;

/// <summary>Drives a runner like the engine would (chunked prefill, decode, verify) and measures each call against the reference.</summary>
internal sealed class ParityDriver(IBundleRunner runner, ReferenceResult reference)
{
    /// <summary>Largest relative error seen per graph name (logits and kv_new together).</summary>
    public Dictionary<string, double> MaxErrorByGraph { get; } = new();

    public BundleManifest Manifest => runner.Manifest;

    /// <summary>Prefills <paramref name="tokens"/>[0..count) chunk by chunk from position 0, checking both variants, committing each chunk.</summary>
    public void Prefill(IReadOnlyList<int> tokens, int count)
    {
        var chunk = Manifest.PrefillChunk;
        for (var pos = 0; pos < count; pos += chunk)
        {
            var real = Math.Min(chunk, count - pos);
            var input = new long[chunk];   // the tail of the last chunk is padding the engine never commits
            for (var i = 0; i < real; i++)
                input[i] = tokens[pos + i];
            Step(GraphKind.Prefill, input, pos, real);
            runner.CommitLast(pos, real);
        }
    }

    /// <summary>Runs the greedy and the logits graph of <paramref name="kind"/> at the smallest gear holding pos + T; checks the first <paramref name="checkedRows"/> rows.</summary>
    public (GraphOutputs Greedy, GraphOutputs Logits) Step(GraphKind kind, long[] input, int pos, int checkedRows, int? gear = null)
    {
        var greedyGraph = Find(kind, GraphVariant.Greedy, pos + input.Length, gear);
        var logitsGraph = Find(kind, GraphVariant.Logits, pos + input.Length, gear);
        var greedy = runner.Run(greedyGraph, input, pos);
        var logits = runner.Run(logitsGraph, input, pos);   // leaves its kv_new as the one to commit (identical rows)

        var vocab = Manifest.Model.VocabSize;
        var kvWidth = Manifest.KvLayout.BytesPerPosition / sizeof(float);
        for (var i = 0; i < checkedRows; i++)
        {
            Assert.Equal(reference.ArgMax(pos + i), greedy.NextIds![i]);
            var logitsError = Parity.RelativeError(logits.Logits.AsSpan(i * vocab, vocab), reference.Logits[pos + i]);
            var expectedKv = Parity.KvRow(reference, pos + i);
            var kvError = Math.Max(
                Parity.RelativeError(greedy.KvNew.AsSpan((int)(i * kvWidth), (int)kvWidth), expectedKv),
                Parity.RelativeError(logits.KvNew.AsSpan((int)(i * kvWidth), (int)kvWidth), expectedKv));
            Record(greedyGraph.Name, kvError);
            Record(logitsGraph.Name, Math.Max(logitsError, kvError));
        }
        return (greedy, logits);
    }

    public BundleGraph Find(GraphKind kind, GraphVariant variant, int positions, int? gear = null) =>
        gear is { } g
            ? Manifest.Graphs.Single(x => x.Kind == kind && x.Variant == variant && x.Gear == g)
            : Manifest.FindGraph(kind, variant, positions) ?? throw new InvalidOperationException($"no {kind} graph holds {positions} positions");

    private void Record(string graph, double error) =>
        MaxErrorByGraph[graph] = Math.Max(MaxErrorByGraph.GetValueOrDefault(graph), error);
}
