using System.Net;
using System.Net.Http.Json;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Holds;

/// <summary>
/// The spec's request and response examples, pinned as exact JSON (ids and times masked). The clock stands at the spec's
/// own moment (2025-02-09T10:30:00Z), so the first hold of that day is QH-20250209-0001 as in the spec.
/// </summary>
public sealed class HoldsGoldenTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    private static readonly DateTimeOffset SpecMoment = new(2025, 2, 9, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Create_and_list_answer_the_spec_examples()
    {
        // Keep only the hold made here active in MA01, so the list example is exactly one row.
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var active = await manager.GetFromJsonAsync<System.Text.Json.JsonElement>($"{HoldsKit.Path}?status=active&limit=100");
        foreach (var hold in active.GetProperty("holds").EnumerateArray())
        {
            Assert.Equal(HttpStatusCode.NoContent, (await manager.SignedDeleteAsync($"{HoldsKit.Path}/{hold.GetProperty("id").GetString()}")).StatusCode);
        }

        app.Clock.Set(SpecMoment);
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var lp = await HoldsKit.PlateAsync(app, "LP-00001");
        var wo = await HoldsKit.WorkOrderAsync(app, "WO-00001");
        var created = await inspector.PostAsync(HoldsKit.Path, Golden.Raw($$"""
            {
              "reason": "Failed metal detection test during production. Material contains ferrous contamination.",
              "hold_type": "investigation",
              "priority": "high",
              "items": [
                {
                  "reference_type": "lp",
                  "reference_id": "{{lp}}",
                  "quantity_held": 100,
                  "uom": "kg",
                  "notes": "Full batch affected - requires re-inspection"
                },
                {
                  "reference_type": "wo",
                  "reference_id": "{{wo}}",
                  "notes": "Work order on hold pending investigation"
                }
              ]
            }
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await Golden.AssertBodyAsync(created, """
            {
              "hold": {
                "id": "<uuid>",
                "hold_number": "QH-20250209-0001",
                "org_id": "<uuid>",
                "status": "active",
                "priority": "high",
                "hold_type": "investigation",
                "reason": "Failed metal detection test during production. Material contains ferrous contamination.",
                "items_count": 2,
                "held_by": { "id": "<uuid>", "name": "Ines Inspector", "email": "inspector@ma01.demo" },
                "held_at": "<time>",
                "released_by": null,
                "released_at": null,
                "disposition": null,
                "release_notes": null,
                "ncr_id": null,
                "created_by": "<uuid>",
                "created_at": "<time>",
                "updated_by": "<uuid>",
                "updated_at": "<time>"
              },
              "items": [
                {
                  "id": "<uuid>",
                  "hold_id": "<uuid>",
                  "reference_type": "lp",
                  "reference_id": "<uuid>",
                  "reference_display": "LP-00001",
                  "quantity_held": 100,
                  "uom": "kg",
                  "location_id": "<uuid>",
                  "location_name": "Warehouse A",
                  "notes": "Full batch affected - requires re-inspection"
                },
                {
                  "id": "<uuid>",
                  "hold_id": "<uuid>",
                  "reference_type": "wo",
                  "reference_id": "<uuid>",
                  "reference_display": "WO-00001",
                  "quantity_held": null,
                  "uom": null,
                  "location_id": null,
                  "location_name": null,
                  "notes": "Work order on hold pending investigation"
                }
              ],
              "lp_updates": [
                { "lp_id": "<uuid>", "lp_number": "LP-00001", "previous_status": "pending", "new_status": "hold" }
              ]
            }
            """);

        // Five hours later, as in the list example.
        app.Clock.Set(SpecMoment.AddHours(5));
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var list = await viewer.GetAsync($"{HoldsKit.Path}?status=active&priority=high,critical");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        await Golden.AssertBodyAsync(list, """
            {
              "holds": [
                {
                  "id": "<uuid>",
                  "hold_number": "QH-20250209-0001",
                  "status": "active",
                  "priority": "high",
                  "hold_type": "investigation",
                  "reason": "Failed metal detection test during production. Material contains ferrous contamination.",
                  "items_count": 2,
                  "held_by": { "id": "<uuid>", "name": "Ines Inspector", "email": "inspector@ma01.demo" },
                  "held_at": "<time>",
                  "aging_hours": 5,
                  "aging_status": "normal"
                }
              ],
              "pagination": { "total": 1, "limit": 20, "offset": 0, "total_pages": 1, "has_next": false, "has_prev": false },
              "filters_applied": {
                "status": ["active"],
                "priority": ["high", "critical"],
                "hold_type": null,
                "date_range": { "from": null, "to": null },
                "search": null
              }
            }
            """);
    }

    [Fact]
    public async Task Errors_take_the_spec_shapes()
    {
        var anonymous = await app.CreateClient().PostAsJsonAsync(HoldsKit.Path, new { });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        await Golden.AssertBodyAsync(anonymous, """{"error":"Unauthorized"}""");

        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var shortReason = await inspector.PostAsJsonAsync(HoldsKit.Path, HoldsKit.Body([HoldsKit.Lp(Guid.NewGuid())], reason: "Short"));
        Assert.Equal(HttpStatusCode.BadRequest, shortReason.StatusCode);
        await Golden.AssertBodyAsync(shortReason, """
            {"error":"Invalid request data","details":[{"code":"too_small","minimum":10,"type":"string","inclusive":true,"exact":false,"path":["reason"],"message":"String must contain at least 10 character(s)"}]}
            """);

        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var forbidden = await viewer.PostAsJsonAsync(HoldsKit.Path, HoldsKit.Body([HoldsKit.Lp(Guid.NewGuid())]));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        await Golden.AssertBodyAsync(forbidden, """{"error":"Insufficient permissions to create quality holds"}""");

        var missingPlate = await inspector.PostAsJsonAsync(HoldsKit.Path, HoldsKit.Body([HoldsKit.Lp(Guid.NewGuid())]));
        Assert.Equal(HttpStatusCode.NotFound, missingPlate.StatusCode);
        await Golden.AssertBodyAsync(missingPlate, """{"error":"License plate not found"}""");

        var missingOrder = await inspector.PostAsJsonAsync(HoldsKit.Path, HoldsKit.Body([HoldsKit.Wo(Guid.NewGuid())]));
        Assert.Equal(HttpStatusCode.NotFound, missingOrder.StatusCode);
        await Golden.AssertBodyAsync(missingOrder, """{"error":"Work order not found"}""");

        var missingBatch = await inspector.PostAsJsonAsync(HoldsKit.Path, HoldsKit.Body([HoldsKit.Bt(Guid.NewGuid())]));
        Assert.Equal(HttpStatusCode.NotFound, missingBatch.StatusCode);
        await Golden.AssertBodyAsync(missingBatch, """{"error":"Batch not found"}""");

        var tooMany = await viewer.GetAsync($"{HoldsKit.Path}?limit=101");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        await Golden.AssertBodyAsync(tooMany, """
            {"error":"Invalid request parameters","details":[{"code":"too_big","maximum":100,"type":"number","inclusive":true,"exact":false,"path":["limit"],"message":"Number must be less than or equal to 100"}]}
            """);

        var unknown = await viewer.GetAsync($"{HoldsKit.Path}/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        await Golden.AssertBodyAsync(unknown, """{"error":"Quality hold not found"}""");
    }
}
