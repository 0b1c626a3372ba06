using System.Text.Json;
using System.Text.RegularExpressions;
using InnovationZones.Contracts;
using InnovationZones.Domain;

namespace InnovationZones.Import;

/// <summary>One line of an import's report: where (line of the file, field) and what is wrong.</summary>
public sealed record ImportRowError(int? Line, string Field, string Error);

/// <summary>
/// What an import body holds, read from JSON or CSV: the dataset (when it could be read), the errors
/// found while reading it, and how to place a validation error (a dataset path) at a line and field.
/// </summary>
public sealed partial class ImportRows(Dataset? dataset, IReadOnlyList<ImportRowError> errors, Func<ImportError, ImportRowError> locate)
{
    public Dataset? Dataset { get; } = dataset;

    public IReadOnlyList<ImportRowError> Errors { get; } = errors;

    public ImportRowError Locate(ImportError error) => locate(error);

    /// <summary>A dataset in the shape of data/*.json; each error is placed at the line where its item starts.</summary>
    public static ImportRows FromJson(byte[] body)
    {
        var lines = ItemLines(body);
        ImportRowError Locate(ImportError error)
        {
            var path = error.Path.StartsWith("$.", StringComparison.Ordinal) ? error.Path[2..] : error.Path;
            var item = ItemPath().Match(path);
            return new ImportRowError(item.Success && lines.TryGetValue(item.Value, out var line) ? line : null, path, error.Message);
        }

        try
        {
            return new ImportRows(DatasetImporter.Parse(body), [], Locate);
        }
        catch (DatasetInvalidException e)
        {
            return new ImportRows(null, [.. e.Errors.Select(Locate)], Locate);
        }
    }

    /// <summary>The line on which each item of each top-level list starts, by path (<c>zones[3]</c>).</summary>
    public static Dictionary<string, int> ItemLines(ReadOnlySpan<byte> json)
    {
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = ApiJson.Options.MaxDepth });
        string? list = null;
        var index = -1;
        var line = 1;
        var counted = 0;
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
                {
                    list = reader.GetString();
                    index = -1;
                }
                else if (reader.CurrentDepth == 2 && list is not null && reader.TokenType is not (JsonTokenType.EndArray or JsonTokenType.EndObject))
                {
                    var start = (int)reader.TokenStartIndex;
                    line += json[counted..start].Count((byte)'\n');
                    counted = start;
                    lines[$"{list}[{++index}]"] = line;
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // Malformed JSON: its error already says where; items before the fault keep their lines.
        }

        return lines;
    }

    /// <summary>The list and index of the item a dataset path is in (<c>zones[3].cityId</c>: zones, 3), if it is in one.</summary>
    public static (string List, int Index)? ItemOf(string path)
    {
        var match = ItemPath().Match(path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path);
        if (!match.Success)
        {
            return null;
        }

        var open = match.Value.IndexOf('[', StringComparison.Ordinal);
        return (match.Value[..open], int.Parse(match.Value.AsSpan(open + 1, match.Value.Length - open - 2), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The dataset without the items <paramref name="drop"/> names (list, index).</summary>
    public static Dataset Without(Dataset dataset, IReadOnlySet<(string List, int Index)> drop)
    {
        List<T>? Keep<T>(IReadOnlyList<T>? items, string list) => items?.Where((_, i) => !drop.Contains((list, i))).ToList();
        return new Dataset(
            Keep(dataset.Documents, "documents"), Keep(dataset.Industries, "industries"), Keep(dataset.Cities, "cities"),
            Keep(dataset.Zones, "zones"), Keep(dataset.Organizations, "organizations"), Keep(dataset.Relations, "relations"),
            Keep(dataset.Metrics, "metrics"));
    }

    [GeneratedRegex(@"^[A-Za-z]+\[\d+\]", RegexOptions.CultureInvariant)]
    private static partial Regex ItemPath();
}
