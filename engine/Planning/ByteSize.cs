using System.Globalization;

namespace AscendAio.Engine.Planning;

/// <summary>Byte counts as people write them: "64GiB", "32 GB", "512MiB", "1048576". GB and GiB both mean 2^30 here,
/// because HBM capacities are powers of two and vendors write "64 GB" for 64 GiB.</summary>
public static class ByteSize
{
    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("TiB", 1L << 40), ("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10),
        ("TB", 1L << 40), ("GB", 1L << 30), ("MB", 1L << 20), ("KB", 1L << 10), ("B", 1),
    ];

    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var trimmed = text.Trim();
        var factor = 1L;
        foreach (var (suffix, f) in Units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed[..^suffix.Length].TrimEnd();
                factor = f;
                break;
            }
        }
        if (!double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value > 0) || value * factor > long.MaxValue)
            return false;
        bytes = (long)Math.Round(value * factor);
        return true;
    }

    /// <summary>"1.50 GiB", "12.0 MiB", "512 B": binary units, three significant figures or so.</summary>
    public static string Format(long bytes)
    {
        var magnitude = Math.Abs((double)bytes);
        return magnitude switch
        {
            >= 1L << 30 => $"{bytes / (double)(1L << 30):F2} GiB",
            >= 1L << 20 => $"{bytes / (double)(1L << 20):F1} MiB",
            >= 1L << 10 => $"{bytes / (double)(1L << 10):F1} KiB",
            _ => $"{bytes} B",
        };
    }
}
