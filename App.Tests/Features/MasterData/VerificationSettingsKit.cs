using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Audit;
using Operator.Tests.Support;

namespace Operator.Tests.Features.MasterData;

public static class VerificationSettingsKit
{
    public static async Task<JsonElement> PartAsync(HttpClient client, string sku)
    {
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/parts?search={sku}");
        return page.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("sku").GetString() == sku);
    }

    public static async Task<Guid> PartIdAsync(HttpClient client, string sku) => (await PartAsync(client, sku)).GetProperty("id").GetGuid();

    public static Task<HttpResponseMessage> SetAsync(HttpClient client, Guid partId, bool? verifiable, string? productionType) =>
        client.PutAsJsonAsync($"/api/parts/{partId}/verification", new { publiclyVerifiable = verifiable, productionType });

    /// <summary>The organization's audit entries of one action, oldest first.</summary>
    public static async Task<List<AuditEntry>> AuditAsync(OperatorFactory app, string org, string action)
    {
        var orgId = await app.OrganizationIdAsync(org);
        await using var db = app.RawDb();
        return await db.AuditEntries.IgnoreQueryFilters().Where(a => a.OrganizationId == orgId && a.Action == action).OrderBy(a => a.Sequence).ToListAsync();
    }

    /// <summary>Batch-creates serials of a part through the serials API, on the part's first work order.</summary>
    public static async Task<string[]> BatchCreateAsync(HttpClient client, string partNumber, int quantity)
    {
        var orders = await client.GetFromJsonAsync<JsonElement>($"/api/work-orders?search={partNumber}");
        var order = orders.GetProperty("items").EnumerateArray().First(o => o.GetProperty("partNumber").GetString() == partNumber && o.GetProperty("status").GetString() != "closed");
        var response = await client.PostAsJsonAsync("/api/serials/batch", new { workOrderId = order.GetProperty("id").GetGuid().ToString(), quantity });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("serials").EnumerateArray().Select(s => s.GetProperty("serialNumber").GetString()!).ToArray();
    }
}
