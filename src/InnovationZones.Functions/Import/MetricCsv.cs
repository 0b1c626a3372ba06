using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Facts;

namespace InnovationZones.Import;

/// <summary>
/// Metric observations as CSV (RFC 4180, UTF-8, comma-separated, a header line naming the columns, in any
/// order). An empty cell is null. Equivalents and comparisons are not in the CSV: import them as JSON.
/// Errors name the line (the header is line 1) and the column.
/// </summary>
public static class MetricCsv
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "scopeKind", "scopeId", "indicator", "name", "period", "periodKind", "periodNote",
        "value", "denominator", "unit", "qualifier",
        "changeValue", "changeUnit", "changeQualifier", "changeBasis", "changeComparedTo",
        "sourceDocument", "sourceQuote", "sourceLocator",
    ];

    public static readonly IReadOnlyList<string> RequiredColumns =
        ["scopeKind", "scopeId", "indicator", "name", "period", "periodKind", "value", "unit", "qualifier", "sourceDocument"];

    private static readonly string[] ChangeColumns = ["changeValue", "changeUnit", "changeQualifier", "changeBasis"];

    /// <summary>Where a validation error on <c>metrics[i]</c> lands: the CSV column that holds the field.</summary>
    private static readonly Dictionary<string, string> ColumnsByPath = new(StringComparer.Ordinal)
    {
        ["scope.kind"] = "scopeKind", ["scope.id"] = "scopeId", ["scope"] = "scopeId", ["indicator"] = "indicator", ["name"] = "name",
        ["period.value"] = "period", ["period.note"] = "periodNote", ["unit"] = "unit", ["denominator"] = "denominator",
        ["change.unit"] = "changeUnit", ["change.basis"] = "changeBasis", ["change.comparedTo"] = "changeComparedTo",
        ["source"] = "sourceQuote", ["source.document"] = "sourceDocument", ["source.quote"] = "sourceQuote", ["source.locator"] = "sourceLocator",
    };

    public static ImportRows Read(byte[] body)
    {
        var errors = new List<ImportRowError>();
        var metrics = new List<MetricObservation>();
        var lines = new List<int>();
        ImportRowError Locate(ImportError error)
        {
            var path = error.Path;
            var open = path.IndexOf('[', StringComparison.Ordinal);
            var close = path.IndexOf(']', StringComparison.Ordinal);
            if (!path.StartsWith("metrics[", StringComparison.Ordinal) || close < 0
                || !int.TryParse(path.AsSpan(open + 1, close - open - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= lines.Count)
            {
                return new ImportRowError(null, path, error.Message);
            }

            var field = path[(close + 1)..].TrimStart('.');
            return new ImportRowError(lines[index], ColumnsByPath.GetValueOrDefault(field, field.Length == 0 ? "row" : field), error.Message);
        }

        try
        {
            ReadRows(body, metrics, lines, errors);
        }
        catch (Exception e) when (e is DecoderFallbackException or CsvHelperException)
        {
            errors.Add(new ImportRowError(null, "", e is DecoderFallbackException ? "The CSV is not UTF-8." : "The CSV is malformed."));
        }

        // Rows that could not be read are left out; a file whose header is wrong has no rows at all.
        return new ImportRows(errors.Any(e => e.Line is null or 1) ? null : new Dataset(Metrics: metrics), errors, Locate);
    }

    private static void ReadRows(byte[] body, List<MetricObservation> metrics, List<int> lines, List<ImportRowError> errors)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            BadDataFound = args => errors.Add(new ImportRowError(args.Context.Parser?.Row, "", "Malformed CSV: a quote inside an unquoted field, or an unclosed quote.")),
            MissingFieldFound = null,
            DetectDelimiter = false,
        };
        using var reader = new StreamReader(new MemoryStream(body), new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvReader(reader, config);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { } header)
        {
            errors.Add(new ImportRowError(1, "", "The CSV is empty: its first line names the columns."));
            return;
        }

        foreach (var unknown in header.Where(h => !Columns.Contains(h, StringComparer.Ordinal)))
        {
            errors.Add(new ImportRowError(1, unknown, $"Unknown column. The columns are: {string.Join(", ", Columns)}."));
        }

        foreach (var duplicate in header.GroupBy(h => h, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add(new ImportRowError(1, duplicate.Key, "The column appears more than once."));
        }

        foreach (var missing in RequiredColumns.Except(header, StringComparer.Ordinal))
        {
            errors.Add(new ImportRowError(1, missing, "Required column missing."));
        }

        if (errors.Count > 0)
        {
            return;
        }

        while (csv.Read())
        {
            var line = csv.Parser.Row;
            if (csv.Parser.Count != header.Length)
            {
                errors.Add(new ImportRowError(line, "", $"Expected {header.Length} fields, as in the header; found {csv.Parser.Count}."));
                continue;
            }

            var row = new Row(line, header.Select((name, i) => (name, value: csv.GetField(i))).ToDictionary(c => c.name, c => string.IsNullOrEmpty(c.value) ? null : c.value, StringComparer.Ordinal), errors);
            if (row.Observation() is { } observation)
            {
                metrics.Add(observation);
                lines.Add(line);
            }
        }
    }

    /// <summary>One data line: each cell read as its field's type, each failure reported against its column.</summary>
    private sealed class Row(int line, Dictionary<string, string?> cells, List<ImportRowError> errors)
    {
        private bool failed;

        public MetricObservation? Observation()
        {
            var scopeKind = Enum<EntityKind>("scopeKind");
            var periodKind = Enum<PeriodKind>("periodKind");
            var value = Number("value");
            var denominator = Whole("denominator");
            var qualifier = Enum<Qualifier>("qualifier");
            Change? change = null;
            if (ChangeColumns.Any(c => Text(c) is not null))
            {
                foreach (var column in ChangeColumns.Where(c => Text(c) is null))
                {
                    Fail(column, "Required when any change column is given.");
                }

                var changeValue = Number("changeValue");
                var changeQualifier = Enum<Qualifier>("changeQualifier");
                change = new Change(changeValue ?? 0, Text("changeUnit") ?? "", changeQualifier ?? default, Text("changeBasis") ?? "", Text("changeComparedTo"));
            }

            foreach (var column in RequiredColumns.Where(c => Text(c) is null))
            {
                Fail(column, "Required.");
            }

            return failed ? null : new MetricObservation(
                new EntityRef(scopeKind!.Value, Text("scopeId")!), Text("indicator")!, Text("name")!,
                new Period(Text("period")!, periodKind!.Value, Text("periodNote")), value!.Value, denominator,
                Text("unit")!, qualifier!.Value, null, change, null,
                new SourceRef(Text("sourceDocument")!, Text("sourceQuote"), Text("sourceLocator")));
        }

        private string? Text(string column) => cells.GetValueOrDefault(column);

        private T? Enum<T>(string column) where T : struct, System.Enum
        {
            if (Text(column) is not { } text)
            {
                return null;
            }

            if (EnumNames.TryParse<T>(text, out var value))
            {
                return value;
            }

            Fail(column, $"Expected one of: {string.Join(", ", EnumNames.All<T>())}.");
            return null;
        }

        private decimal? Number(string column)
        {
            if (Text(column) is not { } text)
            {
                return null;
            }

            if (decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            Fail(column, "Expected a finite decimal number, such as 239.30 or -1.5.");
            return null;
        }

        private int? Whole(string column)
        {
            if (Text(column) is not { } text)
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            Fail(column, "Expected a positive whole number.");
            return null;
        }

        private void Fail(string column, string message)
        {
            failed = true;
            errors.Add(new ImportRowError(line, column, message));
        }
    }
}
