using System.Text;
using Operator.Infrastructure.Api;

namespace Operator.Tests.Infrastructure;

/// <summary>The one body reader: every fault that does not depend on a contract, found once and with its path.</summary>
public sealed class JsonBodyReaderTests
{
    private static JsonBodyReader.Read Parse(byte[] bytes, bool required = true, string? type = "application/json") =>
        JsonBodyReader.Parse(bytes, type, required);

    private static JsonBodyReader.Read Parse(string json, bool required = true, string? type = "application/json") =>
        Parse(Encoding.UTF8.GetBytes(json), required, type);

    [Fact]
    public void Invalid_utf8_inside_a_string_is_refused_with_the_field_path()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"items\":[{\"notes\":\"ok\"},{\"notes\":\"Xa\"}]}");
        var at = Array.LastIndexOf(bytes, (byte)'X');
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28;

        var fault = Parse(bytes).Fault!;

        Assert.Equal(JsonBodyFaultKind.Unreadable, fault.Kind);
        Assert.Equal("items[1].notes", fault.Field);
        Assert.Equal("Malformed JSON: a string is not valid UTF-8", fault.Message);
    }

    [Fact]
    public void Invalid_utf8_in_a_key_is_refused()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"a\":{\"kX\":1}}");
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xFF;

        var fault = Parse(bytes).Fault!;

        Assert.Equal(JsonBodyFaultKind.Unreadable, fault.Kind);
        Assert.Equal("a", fault.Field);
    }

    [Fact]
    public void Unpaired_surrogate_escape_is_refused()
    {
        var fault = Parse("""{"reason":"abc\ud800def"}""").Fault!;

        Assert.Equal("reason", fault.Field);
        Assert.StartsWith("Malformed JSON: a string holds an unpaired surrogate escape", fault.Message);
    }

    [Theory]
    [InlineData("""{"reason":"a\u0000b"}""", "reason")]
    [InlineData("""{"context":{"k\u0000":"v"}}""", "context.k\0")]
    [InlineData("""["x",["y","\u0000"]]""", "[1][1]")]
    public void Nul_anywhere_is_refused_with_its_path(string json, string field)
    {
        var fault = Parse(json).Fault!;

        Assert.Equal(JsonBodyFaultKind.Unreadable, fault.Kind);
        Assert.Equal(field, fault.Field);
        Assert.Equal(JsonBodyReader.NulMessage, fault.Message);
    }

    [Fact]
    public void A_key_given_twice_is_refused()
    {
        var fault = Parse("""{"a":{"b":1,"b":2}}""").Fault!;

        Assert.Equal("a.b", fault.Field);
        Assert.Equal("Duplicate property 'b': each key may appear once", fault.Message);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused_and_the_limit_itself_is_read()
    {
        var ok = string.Concat(Enumerable.Repeat("[", JsonBodyReader.MaxDepth)) + string.Concat(Enumerable.Repeat("]", JsonBodyReader.MaxDepth));
        var deep = "[" + ok + "]";

        Assert.Null(Parse(ok).Fault);
        var fault = Parse(deep).Fault!;
        Assert.Equal(JsonBodyFaultKind.Malformed, fault.Kind);
        Assert.Equal(JsonBodyReader.DepthMessage, fault.Message);
    }

    [Fact]
    public void Nesting_one_level_too_deep_names_the_field_it_is_in()
    {
        var fault = Parse("{\"notes\": " + new string('[', JsonBodyReader.MaxDepth) + new string(']', JsonBodyReader.MaxDepth) + "}").Fault!;

        Assert.Equal(JsonBodyReader.DepthMessage, fault.Message);
        Assert.Equal("notes", fault.Path[0]);
    }

    [Fact]
    public void An_unclosed_body_is_malformed_not_too_deep()
    {
        var fault = Parse("""{"number": """).Fault!;

        Assert.Equal(JsonBodyFaultKind.Malformed, fault.Kind);
        Assert.Equal("Malformed JSON", fault.Message);
        Assert.Equal("number", fault.Field);
    }

    [Fact]
    public void Malformed_json_names_where_the_parser_stopped()
    {
        var fault = Parse("""{"conditions":{"siteId": tru}}""").Fault!;

        Assert.Equal(JsonBodyFaultKind.Malformed, fault.Kind);
        Assert.Equal("conditions.siteId", fault.Field);
        Assert.StartsWith(" (line 1, position", fault.Position);
    }

    [Fact]
    public void An_empty_body_is_missing_when_required_and_an_empty_object_when_optional()
    {
        Assert.Equal(JsonBodyFaultKind.Missing, Parse(" \r\n").Fault!.Kind);

        var optional = Parse("", required: false);
        Assert.Null(optional.Fault);
        Assert.Equal(System.Text.Json.JsonValueKind.Object, optional.Body.ValueKind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public void A_body_not_declared_as_json_is_refused(string? type)
    {
        Assert.Equal(JsonBodyFaultKind.MediaType, Parse("{}", type: type).Fault!.Kind);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/merge-patch+json")]
    public void Json_media_types_are_read(string type)
    {
        var read = Parse("""{"a":"ü","b":[1,true,null]}""", type: type);

        Assert.Null(read.Fault);
        Assert.Equal("ü", read.Body.GetProperty("a").GetString());
    }
}
