using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CsvHelper;
using InnovationZones.Contracts;

namespace InnovationZones.Api;

/// <summary>
/// Rows as CSV (RFC 4180, written by CsvHelper) with a header row, flattened from the API's own JSON
/// contract so that CSV and JSON carry the same values under the same names: a nested object's members
/// become columns named by their JSON path (<c>period.value</c>, <c>source.quote</c>); a list, or a map
/// whose keys are data (<c>sources</c>), is one column holding its JSON (<c>["ai","biomedicine"]</c>); numbers are written as in JSON
/// (<c>239.30</c>); a null, or a member of a null object, is an empty field. The columns come from the
/// row type, so every page of a list, even an empty one, has the same header.
/// </summary>
public static class CsvTable
{
    private const int MaxDepth = 8;

    private static readonly ConcurrentDictionary<Type, IReadOnlyList<Column>> ColumnsByType = new();

    /// <summary>One column: its header and the JSON path it reads.</summary>
    public sealed record Column(string Name, IReadOnlyList<string> Path);

    public static IReadOnlyList<Column> Columns(Type rowType) => ColumnsByType.GetOrAdd(rowType, type =>
    {
        var columns = new List<Column>();
        AddColumns(columns, type, [], 0);
        return columns;
    });

    public static byte[] Write<T>(IEnumerable<T> rows)
    {
        var columns = Columns(typeof(T));
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true))
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
        {
            foreach (var column in columns)
            {
                csv.WriteField(column.Name);
            }

            csv.NextRecord();
            foreach (var row in rows)
            {
                var element = JsonSerializer.SerializeToElement(row, ApiJson.Options);
                foreach (var column in columns)
                {
                    csv.WriteField(Field(element, column.Path));
                }

                csv.NextRecord();
            }
        }

        return stream.ToArray();
    }

    private static void AddColumns(List<Column> columns, Type type, string[] path, int depth)
    {
        var info = ApiJson.Options.GetTypeInfo(Nullable.GetUnderlyingType(type) ?? type);
        if (info.Kind == JsonTypeInfoKind.Object && depth < MaxDepth && info.Properties.Count > 0)
        {
            foreach (var property in info.Properties)
            {
                AddColumns(columns, property.PropertyType, [.. path, property.Name], depth + 1);
            }

            return;
        }

        if (path.Length == 0)
        {
            throw new InvalidOperationException($"{type.Name} is not an object: CSV rows must be objects.");
        }

        columns.Add(new Column(string.Join('.', path), path));
    }

    private static string Field(JsonElement row, IReadOnlyList<string> path)
    {
        var element = row;
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return "";
            }
        }

        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString()!,
            JsonValueKind.Null or JsonValueKind.Undefined => "",
            _ => element.GetRawText(),
        };
    }
}
