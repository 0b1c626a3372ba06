using System.Collections.Frozen;
using System.Net;
using System.Text.RegularExpressions;

namespace InnovationZones.OpenApi;

/// <summary>
/// What each problem code means and what to do about it, served where a problem's <c>type</c> points
/// (<c>/api/problems/{code}</c>). The text is docs/problems.md's tables, built into the app, so the page and
/// the file never differ.
/// </summary>
public static partial class ProblemPages
{
    private const string Resource = "problems.md";

    private static readonly Lazy<FrozenDictionary<string, Entry>> Entries = new(() => Parse(Read()));

    /// <summary>One code's row: its status, when it is answered, and what to do.</summary>
    public sealed record Entry(string Code, int Status, string When, string WhatToDo);

    public static IReadOnlyCollection<string> Codes => Entries.Value.Keys;

    public static Entry? Find(string code) => Entries.Value.GetValueOrDefault(code);

    /// <summary>The page for <paramref name="code"/>, or null when there is no such code.</summary>
    public static string? Html(string code, string pagePath)
    {
        if (Find(code) is not { } entry)
        {
            return null;
        }

        var title = ApiProblems.Codes.Contains(code) ? ApiProblems.Get(code).Title : code;
        var docs = WebUtility.HtmlEncode(pagePath[..(pagePath.LastIndexOf("/problems/", StringComparison.Ordinal) + 1)] + "docs");
        return $$"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>{{WebUtility.HtmlEncode(code)}}: {{WebUtility.HtmlEncode(title)}}</title>
              <style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;line-height:1.5}code{background:#f2f2f2;padding:0 .2em}</style>
            </head>
            <body>
              <h1>{{WebUtility.HtmlEncode(title)}}</h1>
              <p>Problem code <code>{{WebUtility.HtmlEncode(code)}}</code>, status {{entry.Status}}.</p>
              <h2>What it means</h2>
              <p id="meaning">{{Inline(entry.When)}}.</p>
              <h2>What to do</h2>
              <p id="what-to-do">{{Inline(entry.WhatToDo)}}.</p>
              <p><a href="{{docs}}">The API reference</a></p>
            </body>
            </html>

            """;
    }

    /// <summary>Markdown's inline code, the only markup the table uses, as HTML.</summary>
    private static string Inline(string markdown)
    {
        var text = WebUtility.HtmlEncode(markdown);
        text = InlineCode().Replace(text, "<code>$1</code>");
        return char.ToUpperInvariant(text[0]) + text[1..];
    }

    private static FrozenDictionary<string, Entry> Parse(string markdown)
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var line in markdown.Split('\n'))
        {
            var cells = line.Trim().Trim('|').Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length != 4 || !int.TryParse(cells[0], System.Globalization.CultureInfo.InvariantCulture, out var status))
            {
                continue;
            }

            foreach (Match code in InlineCode().Matches(cells[1]))
            {
                entries[code.Groups[1].Value] = new Entry(code.Groups[1].Value, status, cells[2], cells[3]);
            }
        }

        return entries.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string Read()
    {
        using var stream = typeof(ProblemPages).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The app no longer embeds {Resource}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }

    [GeneratedRegex("`([^`]+)`", RegexOptions.CultureInvariant)]
    private static partial Regex InlineCode();
}
