using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Holds;
using Operator.Features.Serialization;
using Operator.Features.Serials;
using Operator.Features.Station;
using Operator.Tests.Features.Serials;
using Operator.Tests.Features.Verification;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Holds;

/// <summary>
/// Holds on individual units (the <c>serial</c> extension of the holds contract), on SQLite and PostgreSQL: how an item
/// names a unit, what refuses it, and what a held unit may no longer do (advance, complete, split, merge, transform).
/// </summary>
public abstract class SerialHoldTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    private const string Serialization = "/api/v1/serialization";

    private static object Sn(string reference, string? notes = null) => new { reference_type = "serial", reference_id = reference, notes };

    private async Task<(HttpClient Operator, HttpClient Inspector)> ClientsAsync() =>
        (await app.ClientForAsync(DemoUsers.Operator), await app.ClientForAsync(DemoUsers.Inspector));

    private async Task<JsonNode> HoldAsync(HttpClient client, params object[] items)
    {
        var response = await client.PostAsJsonAsync(HoldsKit.Path, HoldsKit.Body(items));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    [Fact]
    public async Task A_hold_names_a_unit_by_serial_number_or_id_and_shows_it_like_the_other_items()
    {
        var (op, inspector) = await ClientsAsync();
        var serials = await SerialsKit.NewSerialsAsync(app, op, 2);
        var plate = await HoldsKit.NewPlateAsync(app);
        var secondId = await SerialsKit.SerialIdAsync(app, serials[1]);

        var created = await HoldAsync(inspector, Sn(serials[0].ToLowerInvariant(), "Seam open"), HoldsKit.Lp(plate.Id), Sn(secondId.ToString()));

        var items = created["items"]!.AsArray();
        Assert.Equal(["serial", "lp", "serial"], items.Select(i => i!["reference_type"]!.GetValue<string>()));
        Assert.Equal([serials[0], plate.Number, serials[1]], items.Select(i => i!["reference_display"]!.GetValue<string>()));
        Assert.Equal((await SerialsKit.SerialIdAsync(app, serials[0])).ToString(), items[0]!["reference_id"]!.GetValue<string>());
        Assert.Equal(secondId.ToString(), items[2]!["reference_id"]!.GetValue<string>());
        Assert.Null(items[0]!["location_id"]);
        Assert.Equal(3, created["hold"]!["items_count"]!.GetValue<int>());
        Assert.Single(created["lp_updates"]!.AsArray());

        var id = HoldsKit.Id(created);
        var detail = await inspector.GetFromJsonAsync<JsonNode>($"{HoldsKit.Path}/{id}");
        Assert.Equal(serials[0], detail!["items"]![0]!["reference_display"]!.GetValue<string>());
        var number = created["hold"]!["hold_number"]!.GetValue<string>();
        var listed = await inspector.GetFromJsonAsync<JsonNode>($"{HoldsKit.Path}?search={number}");
        Assert.Equal(3, listed!["holds"]![0]!["items_count"]!.GetValue<int>());
        var pdf = await (await inspector.GetAsync($"{HoldsKit.Path}/{id}/report.pdf")).Content.ReadAsByteArrayAsync();
        var text = await Poppler.TextAsync(pdf);
        Assert.Contains(serials[0], text);
        Assert.Contains("Serial", text);
    }

    [Fact]
    public async Task An_unknown_serial_or_another_organizations_is_a_404_in_the_holds_shape_and_nothing_is_written()
    {
        var (_, inspector) = await ClientsAsync();
        var other = await app.ClientForAsync(DemoUsers.OtherAdmin);
        var foreign = await SerialsKit.NewSerialAsync(app, other, org: "AC01");
        var foreignId = await SerialsKit.SerialIdAsync(app, foreign, "AC01");
        var plate = await HoldsKit.NewPlateAsync(app);

        foreach (var reference in new[] { "SN-NO-SUCH-UNIT", foreignId.ToString(), Guid.NewGuid().ToString() })
        {
            var response = await inspector.PostAsJsonAsync(HoldsKit.Path, HoldsKit.Body([HoldsKit.Lp(plate.Id), Sn(reference)]));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            await Golden.AssertBodyAsync(response, """{"error":"Serial not found"}""");
        }
        Assert.Equal("pending", await HoldsKit.QaStatusAsync(app, plate.Id));
        await using var db = app.RawDb();
        Assert.False(await db.Set<QualityHoldItem>().IgnoreQueryFilters().AnyAsync(i => i.ReferenceId == foreignId));
    }

    [Fact]
    public async Task One_unit_named_twice_by_number_and_by_id_is_a_duplicate_item()
    {
        var (op, inspector) = await ClientsAsync();
        var serial = await SerialsKit.NewSerialAsync(app, op);
        var id = await SerialsKit.SerialIdAsync(app, serial);

        var byText = await inspector.PostAsJsonAsync(HoldsKit.Path, HoldsKit.Body([Sn(serial), Sn(serial)]));
        var byIdentity = await inspector.PostAsJsonAsync(HoldsKit.Path, HoldsKit.Body([Sn(serial), Sn(id.ToString())]));

        foreach (var response in new[] { byText, byIdentity })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var body = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
            Assert.Equal("Invalid request data", body["error"]!.GetValue<string>());
            Assert.Equal("""{"code":"custom","params":{"code":"DUPLICATE_ITEM","duplicate_of":0},"path":["items",1],"message":"Duplicate item: items[0] already holds this reference_type and reference_id"}""",
                body["details"]![0]!.ToJsonString());
        }
        var empty = await inspector.PostAsJsonAsync(HoldsKit.Path, HoldsKit.Body([Sn("  ")]));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("""["items",0,"reference_id"]""", (await empty.Content.ReadFromJsonAsync<JsonNode>())!["details"]![0]!["path"]!.ToJsonString());
    }

    [Fact]
    public async Task A_held_unit_cannot_advance_or_complete_while_its_work_order_neighbour_can_and_moves_again_once_released()
    {
        var (op, inspector) = await ClientsAsync();
        var serials = await SerialsKit.NewSerialsAsync(app, op, 2);
        await SerialsKit.AdvanceToLastStepAsync(op, serials[1]);
        var created = await HoldAsync(inspector, Sn(serials[0]), Sn(serials[1]));
        var number = created["hold"]!["hold_number"]!.GetValue<string>();

        var advance = await SerialsKit.AdvanceAsync(op, serials[0]);
        Assert.Equal(HttpStatusCode.Conflict, advance.StatusCode);
        await Golden.AssertBodyAsync(advance, $$"""{"error":"{{serials[0]}} cannot advance: blocked by quality hold {{number}} (investigation on {{serials[0]}}). It may move again once released."}""");
        var complete = await SerialsKit.CompleteAsync(op, serials[1]);
        Assert.Equal(HttpStatusCode.Conflict, complete.StatusCode);
        Assert.Contains($"{serials[1]} cannot complete: blocked by quality hold {number}", await complete.Content.ReadAsStringAsync());

        var neighbour = await SerialsKit.NewSerialAsync(app, op);
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.AdvanceAsync(op, neighbour)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await HoldsKit.ReleaseAsync(inspector, HoldsKit.Id(created))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.AdvanceAsync(op, serials[0])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.CompleteAsync(op, serials[1])).StatusCode);
    }

    [Fact]
    public async Task The_unit_view_and_the_station_show_the_units_own_hold()
    {
        var (op, inspector) = await ClientsAsync();
        var serial = await SerialsKit.NewSerialAsync(app, op);
        var number = (await HoldAsync(inspector, Sn(serial)))["hold"]!["hold_number"]!.GetValue<string>();

        var unit = await SerialsKit.GetAsync(op, serial);
        var hold = Assert.Single(unit["blockingHolds"]!.AsArray())!;
        Assert.Equal((number, "serial", serial), (hold["holdNumber"]!.GetValue<string>(), hold["referenceType"]!.GetValue<string>(), hold["referenceDisplay"]!.GetValue<string>()));
        Assert.Equal($"On hold: {number} (investigation) holds {serial}", hold["message"]!.GetValue<string>());

        var scanned = await app.AsUserAsync(DemoUsers.Operator, services => services.GetRequiredService<StationService>().ScanAsync(serial, null));
        Assert.Equal(ScanKind.Unit, scanned.Kind);
        Assert.Contains($"ON HOLD ({number})", scanned.Message);
        var refused = await app.AsUserAsync(DemoUsers.Operator, services => services.GetRequiredService<StationService>().AdvanceAsync(scanned.Unit!));
        Assert.Equal(ScanKind.Rejected, refused.Kind);
        Assert.Contains(number, refused.Message);
    }

    [Fact]
    public async Task A_held_unit_cannot_be_split_merged_or_transformed_as_source_or_target_and_nothing_is_written()
    {
        var (op, inspector) = await ClientsAsync();
        var serials = await SerialsKit.NewSerialsAsync(app, op, 4);
        var ids = new List<Guid>();
        foreach (var s in serials) ids.Add(await SerialsKit.SerialIdAsync(app, s));
        var number = (await HoldAsync(inspector, Sn(serials[0])))["hold"]!["hold_number"]!.GetValue<string>();
        var before = await LinksAsync();

        var attempts = new (string Path, object Body, string Verb)[]
        {
            ("merge", new { sourceSerialIds = new[] { ids[0], ids[1] }, targetSerialId = ids[2], operationCode = "OP-ASM", routingSequence = 10 }, "take part in a merge"),
            ("merge", new { sourceSerialIds = new[] { ids[1], ids[2] }, targetSerialId = ids[0], operationCode = "OP-ASM", routingSequence = 10 }, "take part in a merge"),
            ("split", new { sourceSerialId = ids[0], targetSerialIds = new[] { ids[3] }, operationCode = "OP-CUT", routingSequence = 10 }, "take part in a split"),
            ("split", new { sourceSerialId = ids[3], targetSerialIds = new[] { ids[0] }, operationCode = "OP-CUT", routingSequence = 10 }, "take part in a split"),
            ("transformation", new { sourceSerialId = ids[0], targetSerialId = ids[3], operationCode = "OP-TRF", routingSequence = 10 }, "take part in a transformation"),
        };
        foreach (var (path, body, verb) in attempts)
        {
            var response = await op.PostAsJsonAsync($"{Serialization}/propagation/{path}", body);
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            var error = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
            Assert.Equal((false, "CONFLICT"), (error["success"]!.GetValue<bool>(), error["error"]!.GetValue<string>()));
            Assert.Equal($"{serials[0]} cannot {verb}: blocked by quality hold {number} (investigation on {serials[0]}). It may move again once released.",
                error["message"]!.GetValue<string>());
        }
        Assert.Equal(before, await LinksAsync());

        // Units that no active hold names still assemble.
        var free = await op.PostAsJsonAsync($"{Serialization}/propagation/merge",
            new { sourceSerialIds = new[] { ids[1], ids[2] }, targetSerialId = ids[3], operationCode = "OP-ASM", routingSequence = 10 });
        Assert.Equal(HttpStatusCode.Created, free.StatusCode);
    }

    [Fact]
    public async Task A_hold_on_a_units_work_order_also_stops_its_genealogy()
    {
        var (op, inspector) = await ClientsAsync();
        var order = await SerialsKit.NewWorkOrderAsync(app);
        var serial = (await SerialsKit.BatchAsync(op, order.Id.ToString(), 1))["serials"]![0]!["serialNumber"]!.GetValue<string>();
        var target = await SerialsKit.NewSerialAsync(app, op);
        var number = (await HoldAsync(inspector, HoldsKit.Wo(order.Id)))["hold"]!["hold_number"]!.GetValue<string>();

        var response = await op.PostAsJsonAsync($"{Serialization}/propagation/split", new
        {
            sourceSerialId = await SerialsKit.SerialIdAsync(app, serial), targetSerialIds = new[] { await SerialsKit.SerialIdAsync(app, target) },
            operationCode = "OP-CUT", routingSequence = 10,
        });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains($"{serial} cannot take part in a split: blocked by quality hold {number} (investigation on {order.Number})", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Public_verification_answers_a_held_unit_exactly_as_before_the_hold()
    {
        var (_, inspector) = await ClientsAsync();
        var unit = await VerificationKit.NewSerialAsync(app);
        var anonymous = app.CreateClient();
        var path = $"{VerificationKit.VerifyPath}?serial={Uri.EscapeDataString(unit.Number)}";
        var before = await anonymous.GetAsync(path);
        var beforeText = await before.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        await HoldAsync(inspector, Sn(unit.Number));
        var after = await anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(Normalize(beforeText), Normalize(await after.Content.ReadAsStringAsync()));
        Assert.DoesNotContain("QH-", await after.Content.ReadAsStringAsync());
    }

    // The answer carries the time it was given; everything else must be equal.
    private static string Normalize(string body)
    {
        var node = JsonNode.Parse(body)!.AsObject();
        foreach (var key in node.Select(p => p.Key).Where(k => k.Contains("timestamp", StringComparison.OrdinalIgnoreCase) || k.EndsWith("_at", StringComparison.Ordinal)).ToList())
        {
            node[key] = "<time>";
        }
        return node.ToJsonString();
    }

    private async Task<int> LinksAsync()
    {
        await using var db = app.RawDb();
        return await db.Set<SerialLink>().IgnoreQueryFilters().CountAsync();
    }
}

public sealed class SqliteSerialHoldTests(OperatorFactory app) : SerialHoldTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

/// <summary>Needs the PostgreSQL server of OPERATOR_TEST_PG (test.sh starts one); fails loudly without it.</summary>
public sealed class PostgresSerialHoldTests(PostgresOperatorFactory app) : SerialHoldTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;
