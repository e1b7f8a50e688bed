using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Features.Serialization;
using Operator.Features.Serials;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Serialization;

/// <summary>
/// Arranging units and genealogies for the propagation, lineage and uniqueness tests: serial rows written directly
/// (fresh numbers, so tests sharing a database stay independent) and links recorded through the real API.
/// </summary>
public static class LineageKit
{
    public const string Base = "/api/v1/serialization";

    public static async Task<Guid> PartIdAsync(OperatorFactory app, int index = 0, string org = "MA01")
    {
        var orgId = await app.OrganizationIdAsync(org);
        await using var db = app.RawDb();
        return await db.Set<Part>().IgnoreQueryFilters().Where(p => p.OrganizationId == orgId).OrderBy(p => p.Number).Skip(index).Select(p => p.Id).FirstAsync();
    }

    /// <summary>A part no other test uses, for counts per part (history, statistics).</summary>
    public static async Task<Guid> NewPartAsync(OperatorFactory app, string org = "MA01")
    {
        var orgId = await app.OrganizationIdAsync(org);
        await using var db = app.RawDb();
        var tag = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var part = new Part { OrganizationId = orgId, Number = $"P-T{tag}", Sku = $"T{tag}", Name = $"Test part {tag}", CreatedAt = DateTime.UtcNow };
        db.Add(part);
        await db.SaveChangesAsync();
        return part.Id;
    }

    /// <summary>A fresh serial number no other test uses.</summary>
    public static string Number(string prefix = "LN") => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 11)].ToUpperInvariant();

    /// <summary>Writes one unit (in progress, not consumed) and returns its id.</summary>
    public static async Task<Guid> UnitAsync(OperatorFactory app, string? number = null, Guid? partId = null, string org = "MA01", string? siteId = null,
        Guid? workOrderId = null, Guid? batchId = null, string status = SerialStatus.InProgress)
        => (await UnitsAsync(app, 1, number is null ? null : _ => number, partId, org, siteId, workOrderId, batchId, status))[0];

    public static async Task<List<Guid>> UnitsAsync(OperatorFactory app, int count, Func<int, string>? number = null, Guid? partId = null, string org = "MA01",
        string? siteId = null, Guid? workOrderId = null, Guid? batchId = null, string status = SerialStatus.InProgress)
    {
        var orgId = await app.OrganizationIdAsync(org);
        var part = partId ?? await PartIdAsync(app, 0, org);
        await using var db = app.RawDb();
        var now = DateTime.UtcNow;
        var units = Enumerable.Range(0, count).Select(i => new Serial
        {
            Id = Guid.NewGuid(), OrganizationId = orgId, SerialNumber = number?.Invoke(i) ?? Number(), PartId = part, SiteId = siteId,
            WorkOrderId = workOrderId, BatchId = batchId, Status = status, Origin = SerialOrigins.Manual, CreatedAt = now.AddMilliseconds(i), UpdatedAt = now,
        }).ToList();
        db.AddRange(units);
        await db.SaveChangesAsync();
        return units.Select(u => u.Id).ToList();
    }

    public static async Task<string> NumberOfAsync(OperatorFactory app, Guid id)
    {
        await using var db = app.RawDb();
        return await db.Set<Serial>().IgnoreQueryFilters().Where(s => s.Id == id).Select(s => s.SerialNumber).SingleAsync();
    }

    public static async Task<Serial> SerialAsync(OperatorFactory app, Guid id)
    {
        await using var db = app.RawDb();
        return await db.Set<Serial>().IgnoreQueryFilters().AsNoTracking().SingleAsync(s => s.Id == id);
    }

    public static async Task<int> LinkCountAsync(OperatorFactory app)
    {
        await using var db = app.RawDb();
        return await db.Set<SerialLink>().IgnoreQueryFilters().CountAsync();
    }

    public static async Task<int> AuditCountAsync(OperatorFactory app)
    {
        await using var db = app.RawDb();
        return await db.AuditEntries.IgnoreQueryFilters().CountAsync();
    }

    public static async Task<JsonNode> PostOkAsync(HttpClient client, string path, object body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await client.PostAsJsonAsync(Base + path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{path}: {(int)response.StatusCode} {text}");
        var node = JsonNode.Parse(text)!;
        Assert.True(node["success"]!.GetValue<bool>(), text);
        return node["data"]!;
    }

    public static Task<JsonNode> SplitAsync(HttpClient client, Guid source, IEnumerable<Guid> targets, string op = "OP-SPLIT", int seq = 5) =>
        PostOkAsync(client, "/propagation/split", new { sourceSerialId = source, operationCode = op, routingSequence = seq, targetSerialIds = targets });

    public static Task<JsonNode> MergeAsync(HttpClient client, IEnumerable<Guid> sources, Guid target, string op = "OP-MERGE", int seq = 10) =>
        PostOkAsync(client, "/propagation/merge", new { sourceSerialIds = sources, operationCode = op, routingSequence = seq, targetSerialId = target });

    public static Task<JsonNode> TransformAsync(HttpClient client, IEnumerable<Guid> sources, Guid target, string op = "OP-XFORM", int seq = 20) =>
        PostOkAsync(client, "/propagation/transformation", new { sourceSerialIds = sources, operationCode = op, routingSequence = seq, targetSerialId = target });

    public static async Task<JsonNode> LineageAsync(HttpClient client, Guid id)
    {
        var response = await client.GetAsync($"{Base}/propagation/lineage/{id}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!["data"]!;
    }

    /// <summary>"serialId:depth" of each ancestor or descendant, sorted, for exact comparisons.</summary>
    public static IReadOnlyList<string> DepthMap(JsonNode lineage, string direction) =>
        lineage[direction]!.AsArray().Select(n => $"{n!["id"]}:{n["depth"]}").Order(StringComparer.Ordinal).ToList();

    public static IReadOnlyList<string> Expect(params (Guid Id, int Depth)[] nodes) =>
        nodes.Select(n => $"{n.Id}:{n.Depth}").Order(StringComparer.Ordinal).ToList();
}
