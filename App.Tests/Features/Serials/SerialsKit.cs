using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Infrastructure.Audit;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Serials;

/// <summary>Arranging serials through the real API, on fresh work orders, so tests sharing a database stay independent.</summary>
public static class SerialsKit
{
    public const string Path = "/api/serials";
    public const string Certificates = "/api/certificates";

    /// <summary>A new work order of part <paramref name="partNumber"/> on path <paramref name="pathCode"/> that no other test touches.</summary>
    public static async Task<(Guid Id, string Number)> NewWorkOrderAsync(OperatorFactory app, string org = "MA01", string? partNumber = null, string? pathCode = null,
        string status = WorkOrderStatus.InProgress)
    {
        var orgId = await app.OrganizationIdAsync(org);
        await using var db = app.RawDb();
        var parts = db.Set<Part>().IgnoreQueryFilters().Where(p => p.OrganizationId == orgId);
        // Not the publicly verifiable part unless asked: SN- numbers are easier to read in failures.
        var part = partNumber is null ? await parts.Where(p => !p.PubliclyVerifiable).OrderBy(p => p.Number).FirstAsync() : await parts.SingleAsync(p => p.Number == partNumber);
        var paths = db.Set<ProcessPath>().IgnoreQueryFilters().Where(p => p.OrganizationId == orgId);
        var path = pathCode is null ? await paths.OrderBy(p => p.Code).FirstAsync() : await paths.SingleAsync(p => p.Code == pathCode);
        var order = new WorkOrder
        {
            OrganizationId = orgId, Number = $"WO-T{Guid.NewGuid():N}".ToUpperInvariant()[..12], PartId = part.Id, PathId = path.Id, Quantity = 10,
            Status = status, CreatedAt = DateTime.UtcNow,
        };
        db.Add(order);
        await db.SaveChangesAsync();
        return (order.Id, order.Number);
    }

    /// <summary>Creates serials through the batch API and returns their serial numbers.</summary>
    public static async Task<IReadOnlyList<string>> NewSerialsAsync(OperatorFactory app, HttpClient client, int count = 1, string? certId = null, string org = "MA01",
        string? partNumber = null, string? pathCode = null)
    {
        var order = await NewWorkOrderAsync(app, org, partNumber, pathCode);
        var body = await BatchAsync(client, order.Id.ToString(), count, certId);
        return body["serials"]!.AsArray().Select(s => s!["serialNumber"]!.GetValue<string>()).ToList();
    }

    public static async Task<string> NewSerialAsync(OperatorFactory app, HttpClient client, string? certId = null, string org = "MA01", string? pathCode = null) =>
        (await NewSerialsAsync(app, client, 1, certId, org, pathCode: pathCode))[0];

    public static async Task<JsonNode> BatchAsync(HttpClient client, string workOrderId, int quantity, string? certId = null)
    {
        var response = await client.PostAsJsonAsync($"{Path}/batch", certId is null ? new { workOrderId, quantity } : (object)new { workOrderId, quantity, certId });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    public static Task<HttpResponseMessage> AttachAsync(HttpClient client, string serial, string? certId, Guid? userId) =>
        client.PostAsJsonAsync($"{Path}/{Uri.EscapeDataString(serial)}/attach-cert", new { certId, userId = userId?.ToString() });

    public static Task<HttpResponseMessage> AdvanceAsync(HttpClient client, string serial) =>
        client.PostAsync($"{Path}/{Uri.EscapeDataString(serial)}/advance", null);

    public static Task<HttpResponseMessage> CompleteAsync(HttpClient client, string serial) =>
        client.PostAsync($"{Path}/{Uri.EscapeDataString(serial)}/complete", null);

    public static Task<HttpResponseMessage> ScrapAsync(HttpClient client, string serial, string reason = "Dropped on the floor, frame bent") =>
        client.PostAsJsonAsync($"{Path}/{Uri.EscapeDataString(serial)}/scrap", new { reason });

    public static async Task<JsonNode> GetAsync(HttpClient client, string serial)
    {
        var response = await client.GetAsync($"{Path}/{Uri.EscapeDataString(serial)}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Advances (asserting 200 each time) until the serial is at its last step.</summary>
    public static async Task AdvanceToLastStepAsync(HttpClient client, string serial)
    {
        var detail = await GetAsync(client, serial);
        var steps = detail["steps"]!.AsArray().Count;
        for (var i = detail["currentStepIndex"]!.GetValue<int>(); i < steps - 1; i++)
        {
            var response = await AdvanceAsync(client, serial);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
    }

    public static async Task<Guid> UserIdAsync(OperatorFactory app, string email)
    {
        await using var db = app.RawDb();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    public static async Task<Guid> CertIdAsync(OperatorFactory app, string number, string org = "MA01")
    {
        var orgId = await app.OrganizationIdAsync(org);
        await using var db = app.RawDb();
        return await db.Set<Certificate>().IgnoreQueryFilters().Where(c => c.OrganizationId == orgId && c.Number == number).Select(c => c.Id).SingleAsync();
    }

    /// <summary>SN- numbers are per organization: MA01 and AC01 both have an SN-00031.</summary>
    public static async Task<Guid> SerialIdAsync(OperatorFactory app, string serialNumber, string org = "MA01")
    {
        var orgId = await app.OrganizationIdAsync(org);
        await using var db = app.RawDb();
        return await db.Set<Serial>().IgnoreQueryFilters().Where(s => s.OrganizationId == orgId && s.SerialNumber == serialNumber).Select(s => s.Id).SingleAsync();
    }

    public static async Task<List<CertAttachment>> AttachmentsAsync(OperatorFactory app, string serialNumber, string org = "MA01")
    {
        var id = await SerialIdAsync(app, serialNumber, org);
        await using var db = app.RawDb();
        return await db.Set<CertAttachment>().IgnoreQueryFilters().Where(a => a.SerialId == id).OrderBy(a => a.AttachedAt).ThenBy(a => a.Id).ToListAsync();
    }

    public static async Task<List<AuditEntry>> AuditAsync(OperatorFactory app, string serialNumber, string? action = null, string org = "MA01")
    {
        var id = (await SerialIdAsync(app, serialNumber, org)).ToString();
        await using var db = app.RawDb();
        return await db.AuditEntries.IgnoreQueryFilters().Where(a => a.EntityId == id && (action == null || a.Action == action)).OrderBy(a => a.Sequence).ToListAsync();
    }

    /// <summary>Rows that a request could have written, to prove a refused request wrote nothing.</summary>
    public static async Task<(int Serials, int Attachments, int Events, int Audit, int Certificates)> CountsAsync(OperatorFactory app)
    {
        await using var db = app.RawDb();
        return (await db.Set<Serial>().IgnoreQueryFilters().CountAsync(), await db.Set<CertAttachment>().IgnoreQueryFilters().CountAsync(),
            await db.Set<SerialStepEvent>().IgnoreQueryFilters().CountAsync(), await db.AuditEntries.IgnoreQueryFilters().CountAsync(),
            await db.Set<Certificate>().IgnoreQueryFilters().CountAsync());
    }

    public static async Task<string> TextAsync(HttpResponseMessage response) => await response.Content.ReadAsStringAsync();
}
