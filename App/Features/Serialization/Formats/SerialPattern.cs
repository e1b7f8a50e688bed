using System.Globalization;
using System.Text;
using Operator.Infrastructure.Api;

namespace Operator.Features.Serialization;

public enum PatternTokenKind
{
    Literal,
    Year4,
    Year2,
    Month,
    Day,
    Org,
    Site,
    Part,
    Sku,
    Sequence,
}

public sealed record PatternToken(PatternTokenKind Kind, string Text, int Width = 0);

/// <summary>What a pattern's tokens stand for when a number is rendered. Null context values render as the token itself (previews only).</summary>
public sealed record PatternValues(DateOnly Date, string OrgCode, string? Site, string? PartNumber, string? Sku);

/// <summary>
/// A serial format's pattern: literal text and tokens. Tokens (upper case, in braces):
/// <c>{YYYY}</c> <c>{YY}</c> <c>{MM}</c> <c>{DD}</c> (UTC date of generation), <c>{ORG}</c> (organization code),
/// <c>{SITE}</c> (the generation context's siteId), <c>{PART}</c> (part number), <c>{SKU}</c>, and exactly one
/// <c>{SEQ:n}</c>, the sequence zero-padded to n digits (1-12). Literal text is printable ASCII without spaces or
/// braces, so a number prints on a label and scans back unchanged. Example: <c>TST-{YYYY}-{MM}{DD}-{SEQ:4}</c> →
/// <c>TST-2024-1101-0001</c>.
/// </summary>
public sealed class SerialPattern
{
    public const int MaxPatternLength = 200;
    public const int MaxNumberLength = 100;
    public const int MaxSequenceWidth = 12;
    public const string Field = "pattern";

    public const string TokenHelp = "{YYYY}, {YY}, {MM}, {DD}, {ORG}, {SITE}, {PART}, {SKU} and one {SEQ:n} (n = 1-12)";

    private SerialPattern(string text, IReadOnlyList<PatternToken> tokens)
    {
        Text = text;
        Tokens = tokens;
        var sequence = tokens.Single(t => t.Kind == PatternTokenKind.Sequence);
        SequenceWidth = sequence.Width;
        MaxSequence = (long)Math.Pow(10, SequenceWidth) - 1;
    }

    public string Text { get; }
    public IReadOnlyList<PatternToken> Tokens { get; }
    public int SequenceWidth { get; }

    /// <summary>The largest sequence the width can print: 9999 for {SEQ:4}. The next one would overflow.</summary>
    public long MaxSequence { get; }

    public bool Uses(PatternTokenKind kind) => Tokens.Any(t => t.Kind == kind);

    /// <summary>Parses a pattern; every problem is a VALIDATION_ERROR issue on <paramref name="field"/>.</summary>
    public static Result<SerialPattern> Parse(string? pattern, string field = Field)
    {
        var checks = new Checks();
        var tokens = Tokenize(pattern, field, checks);
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);
        return new SerialPattern(pattern!, tokens);
    }

    internal static List<PatternToken> Tokenize(string? pattern, string field, Checks checks)
    {
        var tokens = new List<PatternToken>();
        if (string.IsNullOrEmpty(pattern))
        {
            checks.Add(new FieldIssue(field, "Required: a pattern such as TST-{YYYY}-{SEQ:4}", "invalid_type"));
            return tokens;
        }
        if (pattern.Length > MaxPatternLength)
        {
            checks.Add(new FieldIssue(field, $"String must contain at most {MaxPatternLength} character(s)", "too_big"));
            return tokens;
        }

        var literal = new StringBuilder();
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            if (c == '{')
            {
                var close = pattern.IndexOf('}', i + 1);
                var nextOpen = pattern.IndexOf('{', i + 1);
                if (close < 0 || (nextOpen >= 0 && nextOpen < close))
                {
                    checks.Add(new FieldIssue(field, $"Unclosed '{{' at position {i + 1}: tokens are {TokenHelp}"));
                    i = close < 0 ? pattern.Length : nextOpen;
                    continue;
                }
                if (literal.Length > 0)
                {
                    tokens.Add(new PatternToken(PatternTokenKind.Literal, literal.ToString()));
                    literal.Clear();
                }
                var name = pattern[(i + 1)..close];
                var token = Token(name);
                if (token is null)
                {
                    checks.Add(new FieldIssue(field, $"Unknown token {{{name}}} at position {i + 1}: tokens are {TokenHelp}"));
                }
                else
                {
                    tokens.Add(token);
                }
                i = close + 1;
                continue;
            }
            if (c == '}')
            {
                checks.Add(new FieldIssue(field, $"Unexpected '}}' at position {i + 1}"));
            }
            else if (c is < '!' or > '~')
            {
                checks.Add(new FieldIssue(field, c == ' '
                    ? $"Spaces are not allowed (position {i + 1}): a serial number must scan back unchanged"
                    : $"Character '{c}' at position {i + 1} is not allowed: literal text is printable ASCII without spaces"));
            }
            else
            {
                literal.Append(c);
            }
            i++;
        }
        if (literal.Length > 0) tokens.Add(new PatternToken(PatternTokenKind.Literal, literal.ToString()));

        var sequences = tokens.Count(t => t.Kind == PatternTokenKind.Sequence);
        if (sequences != 1 && !checks.Failed)
        {
            checks.Add(new FieldIssue(field, sequences == 0
                ? "The pattern needs exactly one {SEQ:n} token (n = 1-12): without it every number would be the same"
                : $"The pattern has {sequences} {{SEQ:n}} tokens; it needs exactly one"));
        }
        // Tokens whose length is fixed: a pattern whose fixed part alone is too long can never give a valid number.
        var fixedLength = tokens.Sum(t => t.Kind switch
        {
            PatternTokenKind.Literal => t.Text.Length,
            PatternTokenKind.Year4 or PatternTokenKind.Org => 4,
            PatternTokenKind.Year2 or PatternTokenKind.Month or PatternTokenKind.Day => 2,
            PatternTokenKind.Sequence => t.Width,
            _ => 1,
        });
        if (fixedLength > MaxNumberLength && !checks.Failed)
        {
            checks.Add(new FieldIssue(field, $"The pattern gives numbers longer than {MaxNumberLength} characters"));
        }
        return tokens;
    }

    private static PatternToken? Token(string name)
    {
        switch (name)
        {
            case "YYYY": return new(PatternTokenKind.Year4, "{YYYY}");
            case "YY": return new(PatternTokenKind.Year2, "{YY}");
            case "MM": return new(PatternTokenKind.Month, "{MM}");
            case "DD": return new(PatternTokenKind.Day, "{DD}");
            case "ORG": return new(PatternTokenKind.Org, "{ORG}");
            case "SITE": return new(PatternTokenKind.Site, "{SITE}");
            case "PART": return new(PatternTokenKind.Part, "{PART}");
            case "SKU": return new(PatternTokenKind.Sku, "{SKU}");
        }
        if (name.StartsWith("SEQ:", StringComparison.Ordinal) && name.Length is > 4 and <= 6 &&
            int.TryParse(name.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var width) && width is >= 1 and <= MaxSequenceWidth)
        {
            return new(PatternTokenKind.Sequence, $"{{SEQ:{width}}}", width);
        }
        return null;
    }

    /// <summary>
    /// One number. The caller has checked <paramref name="sequence"/> against <see cref="MaxSequence"/> and the
    /// context values the pattern needs; a null value (previews) prints as its token.
    /// </summary>
    public string Render(PatternValues values, long sequence, StringBuilder? buffer = null)
    {
        var sb = buffer ?? new StringBuilder(32);
        sb.Clear();
        foreach (var t in Tokens)
        {
            switch (t.Kind)
            {
                case PatternTokenKind.Literal: sb.Append(t.Text); break;
                case PatternTokenKind.Year4: sb.Append(values.Date.Year.ToString("D4", CultureInfo.InvariantCulture)); break;
                case PatternTokenKind.Year2: sb.Append((values.Date.Year % 100).ToString("D2", CultureInfo.InvariantCulture)); break;
                case PatternTokenKind.Month: sb.Append(values.Date.Month.ToString("D2", CultureInfo.InvariantCulture)); break;
                case PatternTokenKind.Day: sb.Append(values.Date.Day.ToString("D2", CultureInfo.InvariantCulture)); break;
                case PatternTokenKind.Org: sb.Append(values.OrgCode); break;
                case PatternTokenKind.Site: sb.Append(values.Site ?? t.Text); break;
                case PatternTokenKind.Part: sb.Append(values.PartNumber ?? t.Text); break;
                case PatternTokenKind.Sku: sb.Append(values.Sku ?? t.Text); break;
                case PatternTokenKind.Sequence: sb.Append(sequence.ToString("D" + t.Width.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// The counter period of a reset policy for a UTC day: the sequence starts again at 1 in each new period.
    /// NEVER → <c>all</c>, DAILY → <c>20241101</c>, MONTHLY → <c>202411</c>, YEARLY → <c>2024</c>.
    /// </summary>
    public static string Period(string resetPolicy, DateOnly day) => resetPolicy switch
    {
        SequenceReset.Daily => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
        SequenceReset.Monthly => day.ToString("yyyyMM", CultureInfo.InvariantCulture),
        SequenceReset.Yearly => day.ToString("yyyy", CultureInfo.InvariantCulture),
        _ => "all",
    };

    /// <summary>The counter a format draws from in a period: <c>fmt:{formatId}:{period}</c>.</summary>
    public static string CounterName(Guid formatId, string period) => $"fmt:{formatId:D}:{period}";
}
