using AscendAio.Evaluation;

namespace AscendAio.Evaluation.Tests;

public sealed class LabelLayoutTests
{
    [Fact]
    public void CrowdedPoints_GetLabelsThatCoverNeitherEachOtherNorAnyPoint()
    {
        // 13 configurations bunched into a 45 x 30 pixel patch (5 px and more apart), as the CPU-device bench puts them.
        var points = Enumerable.Range(0, 13).Select(i => ($"config-{i}", 600 + i % 4 * 15.0 + i * 0.7, 400 + i / 4 * 10.0)).ToList();

        var labels = LabelLayout.Place(points, (0, 0, 1200, 800), 9);

        Assert.Equal(13, labels.Count);
        for (var i = 0; i < labels.Count; i++)
        {
            for (var j = i + 1; j < labels.Count; j++)
            {
                var (a, b) = (labels[i], labels[j]);
                var overlap = a.Left < b.Left + b.Width && b.Left < a.Left + a.Width && a.Top < b.Top + b.Height && b.Top < a.Top + a.Height;
                Assert.False(overlap, $"'{a.Text}' covers '{b.Text}'");
            }
            foreach (var (_, x, y) in points)
            {
                var label = labels[i];
                var coversMarker = label.Left < x + LabelLayout.Marker / 2 && x - LabelLayout.Marker / 2 < label.Left + label.Width &&
                                   label.Top < y + LabelLayout.Marker / 2 && y - LabelLayout.Marker / 2 < label.Top + label.Height;
                Assert.False(coversMarker, $"'{label.Text}' covers the point at ({x}, {y})");
            }
        }
    }

    [Fact]
    public void PointsAtOneSpot_ShareOneLabel_AndFarPointsKeepTheirOwn()
    {
        var points = new List<(string, double, double)> { ("static-small", 100, 100), ("small-pld", 101, 99), ("static-large", 500, 300) };

        var labels = LabelLayout.Place(points, (0, 0, 1200, 800), 9);

        Assert.Equal(2, labels.Count);
        Assert.Contains(labels, l => l.Text == "static-small = small-pld" && l.Members.SequenceEqual([0, 1]));
        var single = Assert.Single(labels, l => l.Text == "static-large");
        Assert.Equal((6.0, 0.0), (single.OffsetX, single.OffsetY)); // nothing near it: the default slot right of the point
    }

    [Fact]
    public void PointAtTheRightEdgeOfTheArea_PutsItsLabelOnTheLeft()
    {
        var labels = LabelLayout.Place([("aio", 1195, 400)], (50, 40, 1200, 760), 9);

        Assert.True(labels[0].OffsetX < 0);
        Assert.True(labels[0].Left >= 50);
    }
}
