using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Verification;

/// <summary>
/// Hostile and clumsy input on the public endpoint: empty, oversized, non-ASCII, URL-encoded tricks, NUL bytes, path
/// traversal. Every one is a 400 in the spec's shape (JSON, never HTML), never a 500.
/// </summary>
public sealed class VerificationBadInputTests(VerificationFactory app) : IClassFixture<VerificationFactory>
{
    private const string Path = VerificationKit.VerifyPath;
    private const string InvalidFormat = """{"ok":false,"error":"Invalid serial code format"}""";
    private const string Missing = """{"ok":false,"error":"Missing serial code. Usage: /api/public/serial/verify/{serial_code}"}""";

    private static async Task AssertBadRequestAsync(HttpResponseMessage response, string expected, string input)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{input}: expected 400, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(Golden.Plain), JsonNode.Parse(text)!.ToJsonString(Golden.Plain));
    }

    public static TheoryData<string> InvalidCodes => new()
    {
        new string('A', 201),
        "MA01-HAT-BAG-20251109-00027-A9K2-X" + new string('X', 180),
        "MA01-HAT-BAG-20251109-00027-A9K2-É",
        "ＭA01-HAT-BAG-20251109-00027-A9K2-X",            // fullwidth M
        "MA01-HAT-BAG-２0251109-00027-A9K2-X",            // fullwidth digit
        "MA01-HAT-BAG-٢0251109-00027-A9K2-X",             // Arabic-Indic digit
        "ma01-hat-baſ-20251109-00027-a9k2-x",             // long s: upper-cases to S
        "MA01-HAT-BAG-20251109-00027-A9K2-X\u200B",       // zero-width space (not trimmed: not white space)
        "MA01-HAT-BAG\n-20251109-00027-A9K2-X",            // a line break inside
        "MA01-HAT-BAG-20251109-00027-A9K2-X\u0007",
        "MA01-HAT-BAG-20250230-00027-A9K2-X",             // 30 February
        "MA01-HAT-BAG-20251109-00000-A9K2-X",             // sequence 0 is never issued
        "MA01-XYZ-BAG-20251109-00027-A9K2-X",
        "MA01-HAT-B-20251109-00027-A9K2-X",
        "MA01_HAT_BAG_20251109_00027_A9K2_X",
        "../../etc/passwd",
        "..\\..\\windows\\win.ini",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "..%2F..%2Fetc%2Fpasswd",
        "%252e%252e%252f",
        "<script>alert(1)</script>",
        "' OR '1'='1' --",
        "MA01-HAT-BAG-20251109-00027-A9K2-X' OR 1=1 --",
        "{{7*7}}",
        "MA01-HAT-BAG-20251109-00027-A9K2-X;DROP TABLE Serials",
        "null",
    };

    [Theory]
    [MemberData(nameof(InvalidCodes))]
    public async Task Invalid_codes_in_the_path_are_400_invalid_format(string code)
    {
        var client = app.AnonymousFrom("198.51.100.20");
        await AssertBadRequestAsync(await client.GetAsync($"{Path}/{Uri.EscapeDataString(code)}"), InvalidFormat, code);
    }

    [Theory]
    [MemberData(nameof(InvalidCodes))]
    [InlineData("MA01-HAT-BAG-20251109-00027-A9K2-X\0")]
    [InlineData("\0")]
    public async Task Invalid_codes_in_the_query_are_400_invalid_format(string code)
    {
        var client = app.AnonymousFrom("198.51.100.21");
        await AssertBadRequestAsync(await client.GetAsync($"{Path}?serial={Uri.EscapeDataString(code)}"), InvalidFormat, code);
    }

    /// <summary>
    /// Paths as a raw client puts them on the wire, handed to the app the way the server decodes them (percent-decoding,
    /// %2F kept) but without the dot-segment clean-up HttpClient's Uri and Kestrel would do first: the app itself must
    /// hold even if a front end passes them through.
    /// </summary>
    [Theory]
    [InlineData("/api/public/serial/verify/%2e%2e%2f%2e%2e%2fetc%2fpasswd")]
    [InlineData("/api/public/serial/verify/..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/api/public/serial/verify/../../../etc/passwd")]
    [InlineData("/api/public/serial/verify/./MA01/../x")]
    [InlineData("/api/public/serial/verify/MA01/HAT/BAG")]
    [InlineData("/api/public/serial/verify/a/b/c")]
    [InlineData("/api/public/serial/verify/%C0%AE%C0%AE%2F")]
    [InlineData("/api/public/serial/verify/%FF%FE")]
    [InlineData("/api/public/serial/verify/%")]
    [InlineData("/api/public/serial/verify/%zz")]
    public async Task Raw_paths_with_encoded_tricks_and_traversal_are_400(string rawPath)
    {
        var context = await app.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = PathString.FromUriComponent(rawPath);
        });
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.True(context.Response.StatusCode == 400, $"{rawPath}: expected 400, got {context.Response.StatusCode}: {body}");
        Assert.StartsWith("application/json", context.Response.ContentType);
        Assert.Equal(InvalidFormat, JsonNode.Parse(body)!.ToJsonString(Golden.Plain));
    }

    /// <summary>
    /// "%00" in a path never reaches the app over HTTP (the server's URL decoder refuses it with its own 400); should a
    /// front end decode it and pass it on, the app still answers the spec's 400.
    /// </summary>
    [Fact]
    public async Task A_raw_request_with_a_null_byte_in_the_decoded_path_is_400()
    {
        var context = await app.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/api/public/serial/verify/MA01\0-HAT";
        });
        Assert.Equal(400, context.Response.StatusCode);
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.Equal(InvalidFormat, JsonNode.Parse(body)!.ToJsonString(Golden.Plain));
    }

    [Theory]
    [InlineData("?serial=")]
    [InlineData("?serial=%09%0A%20")]
    [InlineData("/%20")]
    [InlineData("/%20%20%20")]
    public async Task Empty_and_blank_codes_are_400_missing(string suffix)
    {
        var client = app.AnonymousFrom("198.51.100.22");
        await AssertBadRequestAsync(await client.GetAsync(Path + suffix), Missing, suffix);
    }

    [Fact]
    public async Task A_repeated_query_parameter_is_not_two_codes()
    {
        var (_, code) = await VerificationKit.NewSerialAsync(app);
        var client = app.AnonymousFrom("198.51.100.23");
        await AssertBadRequestAsync(await client.GetAsync($"{Path}?serial={code}&serial={code}"), InvalidFormat, "repeated");
    }

    [Fact]
    public async Task The_maximum_length_is_exactly_200_characters()
    {
        var client = app.AnonymousFrom("198.51.100.24");
        // 200 characters of padding around a genuine code: trimmed, still found.
        var (_, code) = await VerificationKit.NewSerialAsync(app);
        var padded = code.PadLeft(100).PadRight(200);
        Assert.Equal(200, padded.Length);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{Path}?serial={Uri.EscapeDataString(padded)}")).StatusCode);
        await AssertBadRequestAsync(await client.GetAsync($"{Path}?serial={Uri.EscapeDataString(padded + " ")}"), InvalidFormat, "201");
    }
}
