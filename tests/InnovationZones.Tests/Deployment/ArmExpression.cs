using System.Globalization;
using System.Text;

namespace InnovationZones.Tests.Deployment;

/// <summary>
/// A parsed ARM template language expression (the <c>[...]</c> strings Bicep compiles to): literals,
/// function calls, and member and index access on their results.
/// </summary>
internal abstract record ArmExpression
{
    public sealed record Literal(object? Value) : ArmExpression;

    public sealed record Call(string Name, IReadOnlyList<ArmExpression> Arguments) : ArmExpression;

    public sealed record Member(ArmExpression Target, string Name) : ArmExpression;

    public sealed record Index(ArmExpression Target, ArmExpression Key) : ArmExpression;

    /// <summary>Whether a template string is an expression; <c>[[</c> escapes a literal bracket.</summary>
    public static bool IsExpression(string text) =>
        text.Length >= 2 && text[0] == '[' && text[^1] == ']' && !text.StartsWith("[[", StringComparison.Ordinal);

    public static ArmExpression Parse(string text)
    {
        var parser = new Parser(text[1..^1]);
        var expression = parser.ParseExpression();
        parser.SkipSpace();
        if (!parser.AtEnd)
        {
            throw new FormatException($"Unexpected text at {parser.Position} in {text}");
        }

        return expression;
    }

    private sealed class Parser(string text)
    {
        public int Position { get; private set; }

        public bool AtEnd => Position >= text.Length;

        public void SkipSpace()
        {
            while (!AtEnd && char.IsWhiteSpace(text[Position]))
            {
                Position++;
            }
        }

        public ArmExpression ParseExpression()
        {
            SkipSpace();
            var expression = ParsePrimary();
            while (true)
            {
                SkipSpace();
                if (!AtEnd && text[Position] == '.')
                {
                    Position++;
                    expression = new Member(expression, ParseIdentifier());
                }
                else if (!AtEnd && text[Position] == '[')
                {
                    Position++;
                    var key = ParseExpression();
                    Expect(']');
                    expression = new Index(expression, key);
                }
                else
                {
                    return expression;
                }
            }
        }

        private ArmExpression ParsePrimary()
        {
            var c = text[Position];
            if (c == '\'')
            {
                return new Literal(ParseString());
            }

            if (char.IsDigit(c) || c == '-')
            {
                var start = Position++;
                while (!AtEnd && char.IsDigit(text[Position]))
                {
                    Position++;
                }

                return new Literal(long.Parse(text[start..Position], CultureInfo.InvariantCulture));
            }

            var name = ParseIdentifier();
            SkipSpace();
            Expect('(');
            var arguments = new List<ArmExpression>();
            SkipSpace();
            if (text[Position] == ')')
            {
                Position++;
                return new Call(name, arguments);
            }

            while (true)
            {
                arguments.Add(ParseExpression());
                SkipSpace();
                if (text[Position] == ',')
                {
                    Position++;
                    continue;
                }

                Expect(')');
                return new Call(name, arguments);
            }
        }

        private string ParseString()
        {
            var value = new StringBuilder();
            Position++;
            while (true)
            {
                if (text[Position] == '\'')
                {
                    if (Position + 1 < text.Length && text[Position + 1] == '\'')
                    {
                        value.Append('\'');
                        Position += 2;
                        continue;
                    }

                    Position++;
                    return value.ToString();
                }

                value.Append(text[Position++]);
            }
        }

        private string ParseIdentifier()
        {
            var start = Position;
            while (!AtEnd && (char.IsLetterOrDigit(text[Position]) || text[Position] == '_' || text[Position] == '$'))
            {
                Position++;
            }

            if (start == Position)
            {
                throw new FormatException($"Identifier expected at {Position} in {text}");
            }

            return text[start..Position];
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (AtEnd || text[Position] != c)
            {
                throw new FormatException($"'{c}' expected at {Position} in {text}");
            }

            Position++;
        }
    }
}
