using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Operator.Features.Holds;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Holds;

/// <summary>
/// Bodies no client should send, on both body-taking hold operations: each is a 400 in the contract's shape that names
/// the field, nothing is written, and the next normal request succeeds.
/// </summary>
public abstract class HoldBodyTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    public static TheoryData<string> Faults => ["utf8", "surrogate", "nul", "duplicate", "depth", "type"];

    /// <summary>A JSON object with <paramref name="field"/> spoiled the way <paramref name="fault"/> says, as raw bytes.</summary>
    private static byte[] Spoiled(string fault, string field, string value, string rest)
    {
        var json = fault switch
        {
            "utf8" => $"{{\"{field}\": \"{value[..5]}@@{value[5..]}\", {rest}}}",
            "surrogate" => $"{{\"{field}\": \"{value[..5]}\\ud800{value[5..]}\", {rest}}}",
            "nul" => $"{{\"{field}\": \"{value[..5]}\\u0000{value[5..]}\", {rest}}}",
            "duplicate" => $"{{\"{field}\": \"{value}\", \"{field}\": \"{value}\", {rest}}}",
            "depth" => $"{{\"{field}\": {new string('[', 32)}{new string(']', 32)}, {rest}}}",
            _ => $"{{\"{field}\": 12345, {rest}}}",
        };
        var bytes = Encoding.UTF8.GetBytes(json);
        if (fault == "utf8")
        {
            // "@@" becomes a lead byte followed by a byte that cannot continue it.
            var at = json.IndexOf("@@", StringComparison.Ordinal);
            bytes[at] = 0xC3;
            bytes[at + 1] = 0x28;
        }
        return bytes;
    }

    private static ByteArrayContent Raw(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!;
        Assert.Equal("Invalid request data", body["error"]!.GetValue<string>());
        var issue = body["details"]![0]!;
        Assert.Equal(field, issue["path"]![0]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(issue["code"]!.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(issue["message"]!.GetValue<string>()));
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Create_refuses_the_body_writes_nothing_and_the_next_create_succeeds(string fault)
    {
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var plate = await HoldsKit.NewPlateAsync(app);
        var before = await CountHoldsAsync();
        var rest = $"\"hold_type\": \"investigation\", \"items\": [{{\"reference_type\": \"lp\", \"reference_id\": \"{plate.Id}\"}}]";

        var refused = await inspector.PostAsync(HoldsKit.Path, Raw(Spoiled(fault, "reason", "Failed metal detection test", rest)));

        await AssertRefusedAsync(refused, "reason");
        Assert.Equal(before, await CountHoldsAsync());
        Assert.Equal("pending", await HoldsKit.QaStatusAsync(app, plate.Id));
        var created = await inspector.PostAsJsonAsync(HoldsKit.Path, HoldsKit.Body([HoldsKit.Lp(plate.Id)]));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("hold", await HoldsKit.QaStatusAsync(app, plate.Id));
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Release_refuses_the_body_writes_nothing_and_the_next_release_succeeds(string fault)
    {
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var plate = await HoldsKit.NewPlateAsync(app);
        var id = HoldsKit.Id(await HoldsKit.CreateAsync(app, manager, items: [HoldsKit.Lp(plate.Id)]));

        var refused = await manager.PatchAsync($"{HoldsKit.Path}/{id}/release",
            Raw(Spoiled(fault, "release_notes", "Checked and found in order", "\"disposition\": \"release\"")));

        await AssertRefusedAsync(refused, "release_notes");
        var detail = await manager.GetFromJsonAsync<JsonNode>($"{HoldsKit.Path}/{id}");
        Assert.Equal("active", detail!["hold"]!["status"]!.GetValue<string>());
        Assert.Equal("hold", await HoldsKit.QaStatusAsync(app, plate.Id));
        Assert.Equal(HttpStatusCode.OK, (await HoldsKit.ReleaseAsync(manager, id, "release", "Checked and found in order")).StatusCode);
        Assert.Equal("passed", await HoldsKit.QaStatusAsync(app, plate.Id));
    }

    private async Task<int> CountHoldsAsync()
    {
        await using var db = app.RawDb();
        return await db.Set<QualityHold>().IgnoreQueryFilters().CountAsync();
    }
}

public sealed class SqliteHoldBodyTests(OperatorFactory app) : HoldBodyTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

public sealed class PostgresHoldBodyTests(PostgresOperatorFactory app) : HoldBodyTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;
