using System.Text;

namespace AscendAio.Tasks.Formats;

/// <summary>RFC 4180 CSV reader that reports the line each record starts on (quoted fields may span lines).</summary>
internal static class CsvRows
{
    public static IEnumerable<(int Line, List<string> Fields)> Read(string path)
    {
        string text = File.ReadAllText(path);
        int line = 1, i = 0;
        while (i < text.Length)
        {
            int start = line;
            var fields = new List<string>();
            var field = new StringBuilder();
            bool quoted = false, endOfRecord = false;
            while (i < text.Length && !endOfRecord)
            {
                char c = text[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                    if (c == '"') { quoted = false; i++; continue; }
                    if (c == '\n') line++;
                    field.Append(c);
                    i++;
                    continue;
                }
                switch (c)
                {
                    case '"' when field.Length == 0:
                        quoted = true;
                        break;
                    case ',':
                        fields.Add(field.ToString());
                        field.Clear();
                        break;
                    case '\r':
                        break;
                    case '\n':
                        line++;
                        endOfRecord = true;
                        break;
                    default:
                        field.Append(c);
                        break;
                }
                i++;
            }
            if (quoted)
                throw new TaskFormatException(path, start, "unterminated quoted field");
            fields.Add(field.ToString());
            if (fields.Count == 1 && fields[0].Length == 0)
                continue;
            yield return (start, fields);
        }
    }
}
