using AscendAio.Engine.Acl;
using AscendAio.Engine.Bundles;

namespace AscendAio.Engine.Models;

/// <summary>
/// The copies every KV write is made of. A KV block is (2, layers, batch, kv_heads, window, head_dim) (a single cache is
/// batch 1); a graph's kv_new output is (layers, 2, batch, kv_heads, tokens, head_dim). Both keep each (k|v, layer, row,
/// kv_head) run of positions contiguous, so a copy is one call per run.
/// </summary>
internal static class KvRuns
{
    /// <summary>
    /// Copies token slots 0..<paramref name="count"/>-1 of row <paramref name="newRow"/> of kv_new (batch
    /// <paramref name="newBatch"/>, <paramref name="tokenSlots"/> slots) into row <paramref name="row"/> of a block at
    /// positions <paramref name="position"/>..
    /// </summary>
    public static void CommitNew(KvLayout layout, DeviceBuffer kvNew, int newBatch, int tokenSlots, int newRow,
        DeviceBuffer block, int batch, int window, int row, int position, int count)
    {
        if (count == 0)
            return;
        long slot = layout.RunBytes(1), sourceRun = layout.RunBytes(tokenSlots), run = layout.RunBytes(window);
        for (var layer = 0; layer < layout.Layers; layer++)
            for (var kv = 0; kv < 2; kv++)
                for (var head = 0; head < layout.KvHeads; head++)
                {
                    long source = (((long)layer * 2 + kv) * newBatch + newRow) * layout.KvHeads + head;
                    long destination = (((long)kv * layout.Layers + layer) * batch + row) * layout.KvHeads + head;
                    block.CopyFrom(kvNew, source * sourceRun, destination * run + position * slot, count * slot);
                }
    }

    /// <summary>Copies positions 0..<paramref name="length"/>-1 of a row of one block into a row of another (or the same).</summary>
    public static void CopyRow(KvLayout layout, DeviceBuffer from, int fromWindow, int fromBatch, int fromRow,
        DeviceBuffer to, int toWindow, int toBatch, int toRow, int length)
    {
        if (length == 0)
            return;
        long fromRun = layout.RunBytes(fromWindow), toRun = layout.RunBytes(toWindow), bytes = layout.RunBytes(length);
        for (var kv = 0; kv < 2; kv++)
            for (var layer = 0; layer < layout.Layers; layer++)
                for (var head = 0; head < layout.KvHeads; head++)
                {
                    long source = (((long)kv * layout.Layers + layer) * fromBatch + fromRow) * layout.KvHeads + head;
                    long destination = (((long)kv * layout.Layers + layer) * toBatch + toRow) * layout.KvHeads + head;
                    to.CopyFrom(from, source * fromRun, destination * toRun, bytes);
                }
    }
}
