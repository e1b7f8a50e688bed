using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Holds;

/// <summary>Arranging holds through the real API, and fresh master data rows so tests sharing a database stay independent.</summary>
public static class HoldsKit
{
    public const string Path = "/api/quality/holds";
    public const string Reason = "Failed metal detection test during production. Material contains ferrous contamination.";

    public static async Task<Guid> PlateAsync(OperatorFactory app, string number, string org = "MA01")
    {
        var orgId = await app.OrganizationIdAsync(org);
        await using var db = app.RawDb();
        return await db.Set<LicensePlate>().IgnoreQueryFilters().Where(l => l.OrganizationId == orgId && l.Number == number).Select(l => l.Id).SingleAsync();
    }

    public static async Task<Guid> WorkOrderAsync(OperatorFactory app, string number, string org = "MA01")
    {
        var orgId = await app.OrganizationIdAsync(org);
        await using var db = app.RawDb();
        return await db.Set<WorkOrder>().IgnoreQueryFilters().Where(l => l.OrganizationId == orgId && l.Number == number).Select(l => l.Id).SingleAsync();
    }

    public static async Task<Guid> BatchAsync(OperatorFactory app, string number, string org = "MA01")
    {
        var orgId = await app.OrganizationIdAsync(org);
        await using var db = app.RawDb();
        return await db.Set<Batch>().IgnoreQueryFilters().Where(l => l.OrganizationId == orgId && l.Number == number).Select(l => l.Id).SingleAsync();
    }

    /// <summary>A new license plate (QA pending, in Warehouse A) that no other test touches.</summary>
    public static async Task<(Guid Id, string Number)> NewPlateAsync(OperatorFactory app, string org = "MA01", string qaStatus = QaStatuses.Pending)
    {
        var orgId = await app.OrganizationIdAsync(org);
        await using var db = app.RawDb();
        var part = await db.Set<Part>().IgnoreQueryFilters().Where(p => p.OrganizationId == orgId).OrderBy(p => p.Number).FirstAsync();
        var location = await db.Set<Location>().IgnoreQueryFilters().Where(l => l.OrganizationId == orgId && l.Code == "WH-A").SingleAsync();
        var plate = new LicensePlate
        {
            OrganizationId = orgId, Number = $"LP-T{Guid.NewGuid():N}".ToUpperInvariant()[..12], PartId = part.Id, Quantity = 100, Uom = "kg",
            LocationId = location.Id, QaStatus = qaStatus, CreatedAt = DateTime.UtcNow,
        };
        db.Add(plate);
        await db.SaveChangesAsync();
        return (plate.Id, plate.Number);
    }

    public static async Task<(Guid Id, string Number)> NewWorkOrderAsync(OperatorFactory app, string org = "MA01")
    {
        var orgId = await app.OrganizationIdAsync(org);
        await using var db = app.RawDb();
        var part = await db.Set<Part>().IgnoreQueryFilters().Where(p => p.OrganizationId == orgId).OrderBy(p => p.Number).FirstAsync();
        var path = await db.Set<ProcessPath>().IgnoreQueryFilters().Where(p => p.OrganizationId == orgId).OrderBy(p => p.Code).FirstAsync();
        var order = new WorkOrder { OrganizationId = orgId, Number = $"WO-T{Guid.NewGuid():N}".ToUpperInvariant()[..12], PartId = part.Id, PathId = path.Id, Quantity = 10, CreatedAt = DateTime.UtcNow };
        db.Add(order);
        await db.SaveChangesAsync();
        return (order.Id, order.Number);
    }

    public static async Task<(Guid Id, string Number)> NewBatchAsync(OperatorFactory app, string org = "MA01")
    {
        var orgId = await app.OrganizationIdAsync(org);
        await using var db = app.RawDb();
        var part = await db.Set<Part>().IgnoreQueryFilters().Where(p => p.OrganizationId == orgId).OrderBy(p => p.Number).FirstAsync();
        var batch = new Batch { OrganizationId = orgId, Number = $"B-T{Guid.NewGuid():N}".ToUpperInvariant()[..12], PartId = part.Id, Quantity = 10, Uom = "pcs", CreatedAt = DateTime.UtcNow };
        db.Add(batch);
        await db.SaveChangesAsync();
        return (batch.Id, batch.Number);
    }

    public static async Task<string> QaStatusAsync(OperatorFactory app, Guid plateId)
    {
        await using var db = app.RawDb();
        return await db.Set<LicensePlate>().IgnoreQueryFilters().Where(l => l.Id == plateId).Select(l => l.QaStatus).SingleAsync();
    }

    public static object Lp(Guid id, double? quantity = null, string? uom = null, string? notes = null) =>
        new { reference_type = "lp", reference_id = id.ToString(), quantity_held = quantity, uom, notes };

    public static object Wo(Guid id, string? notes = null) => new { reference_type = "wo", reference_id = id.ToString(), notes };

    public static object Bt(Guid id, string? notes = null) => new { reference_type = "batch", reference_id = id.ToString(), notes };

    public static object Body(IEnumerable<object> items, string reason = Reason, string holdType = "investigation", string? priority = "high") =>
        priority is null
            ? new { reason, hold_type = holdType, items }
            : new { reason, hold_type = holdType, priority, items };

    /// <summary>Creates a hold on a fresh license plate (or the given items) and returns the 201 body.</summary>
    public static async Task<JsonNode> CreateAsync(OperatorFactory app, HttpClient client, string? priority = "high", string holdType = "investigation",
        string reason = Reason, IEnumerable<object>? items = null)
    {
        items ??= [Lp((await NewPlateAsync(app)).Id)];
        var response = await client.PostAsJsonAsync(Path, Body(items, reason, holdType, priority));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    public static string Id(JsonNode created) => created["hold"]!["id"]!.GetValue<string>();

    public static Task<HttpResponseMessage> ReleaseAsync(HttpClient client, string id, string disposition = "release", string? notes = null) =>
        client.PatchAsJsonAsync($"{Path}/{id}/release", Sign.Body(new { disposition, release_notes = notes }));
}
