using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Features.Serialization;
using Operator.Infrastructure.Data;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Serialization;

/// <summary>Arranging issue 5's serialization workflows (vendor, formats, generation, triggers, placeholders) through the real API.</summary>
public static class WorkflowKit
{
    public const string Base = "/api/v1/serialization";

    /// <summary>A fresh part of its own (not verifiable), so counts and numbers of one test never meet another's.</summary>
    public static async Task<(Guid Id, string Number)> NewPartAsync(OperatorFactory app, string org = "MA01", bool verifiable = false, string? sku = null)
    {
        var orgId = await app.OrganizationIdAsync(org);
        await using var db = app.RawDb();
        var tag = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var part = new Part
        {
            OrganizationId = orgId, Number = $"PT-{tag}", Sku = sku ?? $"K{tag[..7]}", Name = $"Test part {tag}", CreatedAt = DateTime.UtcNow,
            ProductionType = verifiable ? "HAT" : null, PubliclyVerifiable = verifiable,
        };
        db.Add(part);
        await db.SaveChangesAsync();
        return (part.Id, part.Number);
    }

    /// <summary>A process path for the part with steps OP-010, OP-020, OP-030, and a work order of <paramref name="quantity"/> on it.</summary>
    public static async Task<(Guid WorkOrderId, string Number, Guid PathId)> NewWorkOrderAsync(OperatorFactory app, Guid partId, int quantity = 5, string org = "MA01")
    {
        var orgId = await app.OrganizationIdAsync(org);
        await using var db = app.RawDb();
        var tag = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var path = new ProcessPath
        {
            OrganizationId = orgId, Code = $"PATH-{tag}", Name = "Test path", PartId = partId, CreatedAt = DateTime.UtcNow,
            Steps = new[] { "Cut", "Sew", "Inspect" }.Select((n, i) => new ProcessStep { OrganizationId = orgId, Sequence = i, Code = $"OP-{(i + 1) * 10:D3}", Name = n }).ToList(),
        };
        var order = new WorkOrder { OrganizationId = orgId, Number = $"WO-T{tag}", PartId = partId, PathId = path.Id, Quantity = quantity, CreatedAt = DateTime.UtcNow };
        db.Add(path);
        db.Add(order);
        await db.SaveChangesAsync();
        return (order.Id, order.Number, path.Id);
    }

    public static async Task<JsonNode> OkAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!;
        Assert.True(body["success"]!.GetValue<bool>(), text);
        return body["data"]!;
    }

    public static async Task<JsonNode> FailsAsync(HttpResponseMessage response, HttpStatusCode expected, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!;
        Assert.False(body["success"]!.GetValue<bool>());
        Assert.Null(body["data"]);
        Assert.Equal(code, body["error"]!.GetValue<string>());
        return body;
    }

    /// <summary>The fields the details of a VALIDATION_ERROR name.</summary>
    public static IReadOnlyList<string> Fields(JsonNode error) =>
        error["details"]!.AsArray().Select(d => d!["field"]!.GetValue<string>()).ToList();

    public static async Task<Guid> CreateFormatAsync(HttpClient admin, string pattern, string reset = "NEVER", string? name = null, string kind = "PATTERN")
    {
        var data = await OkAsync(await admin.PostAsJsonAsync($"{Base}/formats",
            new { name = name ?? $"Format {Guid.NewGuid():N}", kind, pattern, resetPolicy = reset }), HttpStatusCode.Created);
        return Guid.Parse(data["id"]!.GetValue<string>());
    }

    public static async Task<Guid> CreateTriggerAsync(HttpClient admin, object body)
    {
        var data = await OkAsync(await admin.PostAsJsonAsync($"{Base}/triggers", body), HttpStatusCode.Created);
        return Guid.Parse(data["id"]!.GetValue<string>());
    }

    public static async Task<Guid> CreatePlaceholderAsync(HttpClient client, Guid partId, Guid? workOrderId = null, string? operationCode = null, int quantity = 1)
    {
        var data = await OkAsync(await client.PostAsJsonAsync($"{Base}/late-assignment/placeholder",
            new { partId, workOrderId, operationCode, quantity }), HttpStatusCode.Created);
        return Guid.Parse(data["id"]!.GetValue<string>());
    }

    public static async Task<Guid> ReceiveAsync(HttpClient client, Guid partId, string number, string vendor = "Acme Corp")
    {
        var data = await OkAsync(await client.PostAsJsonAsync($"{Base}/vendor/receive",
            new { vendorSerialNumber = number, vendorName = vendor, partId }), HttpStatusCode.Created);
        return Guid.Parse(data["id"]!.GetValue<string>());
    }

    public static async Task<List<Serial>> SerialsOfPartAsync(OperatorFactory app, Guid partId)
    {
        await using var db = app.RawDb();
        return await db.Set<Serial>().IgnoreQueryFilters().AsNoTracking().Where(s => s.PartId == partId).OrderBy(s => s.SerialNumber).ToListAsync();
    }

    public static async Task<int> AuditCountAsync(OperatorFactory app, string action, string? entityId = null)
    {
        await using var db = app.RawDb();
        var rows = db.AuditEntries.IgnoreQueryFilters().Where(a => a.Action == action);
        if (entityId is not null) rows = rows.Where(a => a.EntityId == entityId);
        return await rows.CountAsync();
    }

    /// <summary>Everything a refused request could have written, to compare before and after.</summary>
    public static async Task<(int Serials, int Vendor, int Formats, int Triggers, int Placeholders, int Audit, long Counters)> SnapshotAsync(OperatorFactory app)
    {
        await using var db = app.RawDb();
        return (await db.Set<Serial>().IgnoreQueryFilters().CountAsync(), await db.Set<VendorSerial>().IgnoreQueryFilters().CountAsync(),
            await db.Set<SerialFormat>().IgnoreQueryFilters().CountAsync(), await db.Set<SerialTrigger>().IgnoreQueryFilters().CountAsync(),
            await db.Set<Placeholder>().IgnoreQueryFilters().CountAsync(), await db.AuditEntries.IgnoreQueryFilters().CountAsync(),
            await db.Set<Counter>().Where(c => c.Name.StartsWith("fmt:")).SumAsync(c => c.Value));
    }
}
