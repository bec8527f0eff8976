namespace AscendAio.Evaluation;

/// <summary>
/// Places point labels so they do not cover each other: points at the same spot share one label
/// ("static-small = small-pld"), and each label takes the first slot, from a fixed list of offsets around its
/// point (right first, then left, further up and down), that covers neither another label nor any marker.
/// Pixel units, y downwards.
/// </summary>
public static class LabelLayout
{
    public sealed record Label(string Text, IReadOnlyList<int> Members, double OffsetX, double OffsetY, double Left, double Top, double Width, double Height);

    /// <summary>Points closer than this (pixels) share a label.</summary>
    public const double SameSpot = 4;

    /// <summary>The size of a point's marker (pixels), kept free of labels.</summary>
    public const double Marker = 10;

    /// <param name="area">Where labels may go: the plot's data area (text outside it is clipped).</param>
    public static IReadOnlyList<Label> Place(IReadOnlyList<(string Text, double X, double Y)> points, (double Left, double Top, double Right, double Bottom) area, double fontSize)
    {
        var groups = new List<List<int>>();
        for (var i = 0; i < points.Count; i++)
        {
            var group = groups.FirstOrDefault(g => Math.Abs(points[g[0]].X - points[i].X) < SameSpot && Math.Abs(points[g[0]].Y - points[i].Y) < SameSpot);
            if (group is null)
                groups.Add([i]);
            else if (!group.Any(m => points[m].Text == points[i].Text))
                group.Add(i);
        }

        var boxHeight = fontSize * 1.4;
        // Every marker is an obstacle too, so no label is written over another point.
        var markers = points.Select(p => new Label("", [], 0, 0, p.X - Marker / 2, p.Y - Marker / 2, Marker, Marker)).ToList();
        var placed = new List<Label>();
        foreach (var group in groups.OrderBy(g => points[g[0]].Y).ThenBy(g => points[g[0]].X))
        {
            var (x, y) = (points[group[0]].X, points[group[0]].Y);
            var text = string.Join(" = ", group.Select(m => points[m].Text));
            var boxWidth = text.Length * fontSize * 0.62;
            Label? chosen = null;
            foreach (var (dx, dy) in Offsets(boxWidth, boxHeight))
            {
                var candidate = new Label(text, group, dx, dy, x + dx, y + dy - boxHeight / 2, boxWidth, boxHeight);
                var inside = candidate.Left >= area.Left && candidate.Top >= area.Top && candidate.Left + boxWidth <= area.Right && candidate.Top + boxHeight <= area.Bottom;
                if (inside && !placed.Any(p => Overlap(p, candidate)) && !markers.Any(m => Overlap(m, candidate)))
                {
                    chosen = candidate;
                    break;
                }
            }
            placed.Add(chosen ?? new Label(text, group, 6, 0, x + 6, y - boxHeight / 2, boxWidth, boxHeight));
        }
        return placed;
    }

    private static IEnumerable<(double Dx, double Dy)> Offsets(double boxWidth, double boxHeight)
    {
        for (var step = 0; step <= 6; step++)
        {
            foreach (var dy in step == 0 ? [0.0] : new[] { -step * boxHeight, step * boxHeight })
            {
                yield return (6, dy);
                yield return (-6 - boxWidth, dy);
            }
        }
    }

    private static bool Overlap(Label a, Label b) =>
        a.Left < b.Left + b.Width && b.Left < a.Left + a.Width && a.Top < b.Top + b.Height && b.Top < a.Top + a.Height;
}
