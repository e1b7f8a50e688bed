using Operator.Features.Serialization;

namespace Operator.Tests.Features.Serialization;

/// <summary>The pattern language of serial formats, without a database.</summary>
public sealed class FormatPatternTests
{
    private static readonly PatternValues Nov1 = new(new DateOnly(2024, 11, 1), "MA01", "site-001", "P-1001", "BAG");

    [Theory]
    [InlineData("TST-{YYYY}-{MM}{DD}-{SEQ:4}", 1, "TST-2024-1101-0001")]
    [InlineData("{ORG}/{SITE}/{PART}.{SKU}-{YY}-{SEQ:6}", 42, "MA01/site-001/P-1001.BAG-24-000042")]
    [InlineData("{SEQ:1}", 9, "9")]
    [InlineData("X{SEQ:12}", 123456789012, "X123456789012")]
    public void A_valid_pattern_renders_its_tokens_and_pads_the_sequence(string pattern, long sequence, string expected)
    {
        var parsed = SerialPattern.Parse(pattern);
        Assert.True(parsed.IsSuccess, parsed.Error?.ToString());
        Assert.Equal(expected, parsed.Value.Render(Nov1, sequence));
    }

    [Fact]
    public void The_width_gives_the_largest_sequence()
    {
        Assert.Equal(9_999, SerialPattern.Parse("A-{SEQ:4}").Value.MaxSequence);
        Assert.Equal(999_999_999_999, SerialPattern.Parse("{SEQ:12}").Value.MaxSequence);
        Assert.Equal(4, SerialPattern.Parse("A-{SEQ:4}").Value.SequenceWidth);
    }

    [Fact]
    public void Missing_context_values_print_as_their_token_in_previews()
    {
        var pattern = SerialPattern.Parse("{PART}-{SITE}-{SEQ:3}").Value;
        Assert.Equal("{PART}-{SITE}-007", pattern.Render(Nov1 with { PartNumber = null, Site = null }, 7));
    }

    [Theory]
    [InlineData("TST-{YEAR}-{SEQ:4}", "Unknown token {YEAR} at position 5")]
    [InlineData("TST-{yyyy}-{SEQ:4}", "Unknown token {yyyy} at position 5")]
    [InlineData("TST-{SEQ:0}", "Unknown token {SEQ:0} at position 5")]
    [InlineData("TST-{SEQ:13}", "Unknown token {SEQ:13} at position 5")]
    [InlineData("TST-{SEQ}", "Unknown token {SEQ} at position 5")]
    [InlineData("TST-{SEQ:4", "Unclosed '{' at position 5")]
    [InlineData("TST}-{SEQ:4}", "Unexpected '}' at position 4")]
    [InlineData("TST {SEQ:4}", "Spaces are not allowed (position 4)")]
    [InlineData("TST-{YYYY}", "The pattern needs exactly one {SEQ:n} token")]
    [InlineData("{SEQ:4}-{SEQ:2}", "The pattern has 2 {SEQ:n} tokens; it needs exactly one")]
    [InlineData("", "Required")]
    public void A_bad_pattern_is_a_validation_error_naming_the_pattern_field(string pattern, string message)
    {
        var parsed = SerialPattern.Parse(pattern);
        Assert.False(parsed.IsSuccess);
        Assert.Equal("Invalid input data", parsed.Error!.Message);
        var issue = Assert.Single(parsed.Error.Issues);
        Assert.Equal("pattern", issue.Field);
        Assert.StartsWith(message, issue.Message);
    }

    [Fact]
    public void Every_problem_of_a_pattern_is_reported()
    {
        var parsed = SerialPattern.Parse("{FOO}-{BAR}-{SEQ:4}");
        Assert.Equal(2, parsed.Error!.Issues.Count);
        Assert.All(parsed.Error.Issues, i => Assert.Equal("pattern", i.Field));
    }

    [Fact]
    public void A_pattern_whose_fixed_part_is_too_long_is_refused()
    {
        var parsed = SerialPattern.Parse(new string('A', 95) + "{SEQ:6}");
        Assert.Contains("longer than 100 characters", Assert.Single(parsed.Error!.Issues).Message);
    }

    [Theory]
    [InlineData("NEVER", "all")]
    [InlineData("DAILY", "20241101")]
    [InlineData("MONTHLY", "202411")]
    [InlineData("YEARLY", "2024")]
    public void The_reset_policy_names_the_counter_period(string policy, string period)
    {
        Assert.Equal(period, SerialPattern.Period(policy, new DateOnly(2024, 11, 1)));
        var id = Guid.Parse("11111111-2222-3333-4444-555555555555");
        Assert.Equal($"fmt:11111111-2222-3333-4444-555555555555:{period}", SerialPattern.CounterName(id, period));
    }
}
