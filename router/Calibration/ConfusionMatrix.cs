using System.Text;

namespace AscendAio.Router.Calibration;

/// <summary>Counts of (true category, predicted category); rows are true, columns predicted.</summary>
public sealed class ConfusionMatrix
{
    private readonly int[,] _counts;
    private readonly Dictionary<string, int> _index;

    public ConfusionMatrix(IReadOnlyList<string> categories)
    {
        if (categories.Count == 0)
            throw new ArgumentException("no categories", nameof(categories));
        Categories = categories;
        _index = categories.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        _counts = new int[categories.Count, categories.Count];
    }

    public IReadOnlyList<string> Categories { get; }

    public int Total { get; private set; }

    public int this[string trueCategory, string predicted] => _counts[Index(trueCategory), Index(predicted)];

    public void Add(string trueCategory, string predicted)
    {
        _counts[Index(trueCategory), Index(predicted)]++;
        Total++;
    }

    public static ConfusionMatrix Of(IReadOnlyList<string> categories, IEnumerable<(string True, string Predicted)> pairs)
    {
        var m = new ConfusionMatrix(categories);
        foreach (var (t, p) in pairs)
            m.Add(t, p);
        return m;
    }

    public int Correct => Categories.Sum(c => this[c, c]);

    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;

    public int RowTotal(string trueCategory) => Categories.Sum(p => this[trueCategory, p]);

    public int ColumnTotal(string predicted) => Categories.Sum(t => this[t, predicted]);

    /// <summary>P(predicted | true), 0 for an empty row.</summary>
    public double Rate(string trueCategory, string predicted)
    {
        var row = RowTotal(trueCategory);
        return row == 0 ? 0 : (double)this[trueCategory, predicted] / row;
    }

    public double Recall(string category) => Rate(category, category);

    public double Precision(string category)
    {
        var column = ColumnTotal(category);
        return column == 0 ? 0 : (double)this[category, category] / column;
    }

    /// <summary>A text table: counts, row recall, column precision, overall accuracy.</summary>
    public string Format()
    {
        var sb = new StringBuilder();
        sb.Append("true \\ predicted").Append(string.Concat(Categories.Select(c => $"{c,8}"))).AppendLine("  recall");
        foreach (var t in Categories)
        {
            sb.Append($"{t,-16}").Append(string.Concat(Categories.Select(p => $"{this[t, p],8}")))
              .AppendLine($"  {Recall(t),6:P1}");
        }
        sb.Append($"{"precision",-16}").AppendLine(string.Concat(Categories.Select(p => $"{Precision(p),8:P1}")));
        sb.Append($"accuracy {Correct}/{Total} = {Accuracy:P1}");
        return sb.ToString();
    }

    private int Index(string category) =>
        _index.TryGetValue(category, out var i) ? i : throw new ArgumentException($"unknown category '{category}' (matrix has {string.Join(", ", Categories)})", nameof(category));
}
