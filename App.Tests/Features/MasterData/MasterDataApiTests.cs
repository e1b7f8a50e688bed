using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Operator.Tests.Support;

namespace Operator.Tests.Features.MasterData;

public abstract class MasterDataApiTests<TFactory>(TFactory app) : IClassFixture<TFactory> where TFactory : OperatorFactory
{
    private static async Task<JsonElement> Json(HttpResponseMessage r) => await r.Content.ReadFromJsonAsync<JsonElement>();

    private async Task<Guid> FirstIdAsync(HttpClient client, string list) =>
        (await client.GetFromJsonAsync<JsonElement>($"{list}?limit=1")).GetProperty("items")[0].GetProperty("id").GetGuid();

    [Fact]
    public async Task A_part_is_created_read_and_found_by_search()
    {
        var client = await app.ClientForAsync(DemoUsers.Admin);
        var created = await client.PostAsJsonAsync("/api/parts", new { number = "P-7001", sku = "CARD7", name = "Card holder", description = "Slim card holder" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await Golden.AssertBodyAsync(created, """{"id":"<uuid>","number":"P-7001","sku":"CARD7","name":"Card holder","description":"Slim card holder","uom":"ea","productionType":null,"publiclyVerifiable":false,"createdAt":"<time>"}""");
        var id = (await Json(created)).GetProperty("id").GetGuid();

        Assert.Equal("CARD7", (await client.GetFromJsonAsync<JsonElement>($"/api/parts/{id}")).GetProperty("sku").GetString());
        var found = await client.GetFromJsonAsync<JsonElement>("/api/parts?search=card");
        Assert.Equal(1, found.GetProperty("total").GetInt32());
        Assert.Equal(id, found.GetProperty("items")[0].GetProperty("id").GetGuid());

        var duplicate = await client.PostAsJsonAsync("/api/parts", new { number = "P-7001", sku = "OTHER", name = "Copy" });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        await Golden.AssertBodyAsync(duplicate, """{"error":"Part P-7001 or SKU OTHER already exists"}""");
    }

    [Fact]
    public async Task Invalid_parts_name_every_field_and_write_nothing()
    {
        var client = await app.ClientForAsync(DemoUsers.Admin);
        var before = (await client.GetFromJsonAsync<JsonElement>("/api/parts")).GetProperty("total").GetInt32();
        var response = await client.PostAsJsonAsync("/api/parts", new { number = "", sku = "lower", name = new string('n', 201) });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await Golden.AssertBodyAsync(response, """{"error":"Invalid part","details":[{"field":"number","message":"String must contain at least 1 character(s)"},{"field":"sku","message":"SKU must be 2-12 upper-case letters and digits"},{"field":"name","message":"String must contain at most 200 character(s)"}]}""");
        Assert.Equal(before, (await client.GetFromJsonAsync<JsonElement>("/api/parts")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_path_keeps_its_steps_in_order_and_refuses_an_empty_step()
    {
        var client = await app.ClientForAsync(DemoUsers.Admin);
        var created = await client.PostAsJsonAsync("/api/paths", new { code = "PATH-T1", name = "Test path", steps = new[] { new { code = "OP-1", name = "Cut" }, new { code = "OP-2", name = "Sew" }, new { code = "OP-3", name = "Pack" } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var steps = (await Json(created)).GetProperty("steps").EnumerateArray().Select(s => (s.GetProperty("sequence").GetInt32(), s.GetProperty("name").GetString())).ToArray();
        Assert.Equal([(0, "Cut"), (1, "Sew"), (2, "Pack")], steps);

        var invalid = await client.PostAsJsonAsync("/api/paths", new { code = "PATH-T2", name = "Broken", steps = new[] { new { code = "OP-1", name = "" } } });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("steps[0].name", (await Json(invalid)).GetProperty("details")[0].GetProperty("field").GetString());
        var none = await client.PostAsJsonAsync("/api/paths", new { code = "PATH-T3", name = "No steps", steps = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
    }

    [Fact]
    public async Task A_step_of_an_existing_path_is_marked_and_unmarked_as_a_quality_checkpoint_by_an_admin_only()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var code = $"QCP-{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        var created = await admin.PostAsJsonAsync("/api/paths", new { code, name = "Checked later", steps = new[] { new { code = "OP-1", name = "Cut" }, new { code = "OP-2", name = "Inspect" } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var path = await Json(created);
        var id = path.GetProperty("id").GetGuid();
        var inspect = path.GetProperty("steps")[1].GetProperty("id").GetGuid();
        var url = $"/api/paths/{id}/steps/{inspect}";

        var marked = await admin.PutAsJsonAsync(url, new { isQualityCheckpoint = true });
        Assert.Equal(HttpStatusCode.OK, marked.StatusCode);
        await Golden.AssertBodyAsync(marked, $$"""
            {"id":"<uuid>","code":"{{code}}","name":"Checked later","partId":null,"steps":[
             {"id":"<uuid>","sequence":0,"code":"OP-1","name":"Cut","isQualityCheckpoint":false},
             {"id":"<uuid>","sequence":1,"code":"OP-2","name":"Inspect","isQualityCheckpoint":true}]}
            """);
        Assert.True((await admin.GetFromJsonAsync<JsonElement>($"/api/paths/{id}")).GetProperty("steps")[1].GetProperty("isQualityCheckpoint").GetBoolean());
        // Setting what is already set changes nothing and writes no second audit entry.
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync(url, new { isQualityCheckpoint = true })).StatusCode);
        var unmarked = await admin.PutAsJsonAsync(url, new { isQualityCheckpoint = false });
        Assert.False((await Json(unmarked)).GetProperty("steps")[1].GetProperty("isQualityCheckpoint").GetBoolean());
        await using (var db = app.RawDb())
        {
            var entries = await db.AuditEntries.IgnoreQueryFilters().Where(a => a.EntityType == "process_step" && a.EntityId == inspect.ToString())
                .OrderBy(a => a.Sequence).Select(a => new { a.Action, a.Before, a.After }).ToListAsync();
            Assert.Equal(["process_step_checkpoint_changed", "process_step_checkpoint_changed"], entries.Select(e => e.Action));
            Assert.Equal("""{"isQualityCheckpoint":false}""", entries[0].Before);
            Assert.Equal($$"""{"isQualityCheckpoint":true,"pathId":"{{id}}","pathCode":"{{code}}","stepSequence":1,"stepCode":"OP-2"}""", entries[0].After);
        }

        // Unknown path, a step of another path, another organization's path: 404 in the group's shape.
        var missing = Guid.NewGuid();
        var noPath = await admin.PutAsJsonAsync($"/api/paths/{missing}/steps/{inspect}", new { isQualityCheckpoint = true });
        Assert.Equal(HttpStatusCode.NotFound, noPath.StatusCode);
        await Golden.AssertBodyAsync(noPath, """{"error":"ProcessPath not found: <uuid>"}""");
        var otherPath = (await admin.GetFromJsonAsync<JsonElement>("/api/paths?limit=2")).GetProperty("items").EnumerateArray()
            .Select(p => p.GetProperty("id").GetGuid()).First(p => p != id);
        var notItsStep = await admin.PutAsJsonAsync($"/api/paths/{otherPath}/steps/{inspect}", new { isQualityCheckpoint = true });
        Assert.Equal(HttpStatusCode.NotFound, notItsStep.StatusCode);
        await Golden.AssertBodyAsync(notItsStep, """{"error":"ProcessStep not found: <uuid>"}""");
        var foreign = await (await app.ClientForAsync(DemoUsers.OtherAdmin)).PutAsJsonAsync(url, new { isQualityCheckpoint = true });
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        await Golden.AssertBodyAsync(foreign, """{"error":"ProcessPath not found: <uuid>"}""");

        var notAnId = await admin.PutAsJsonAsync($"/api/paths/{id}/steps/OP-2", new { isQualityCheckpoint = true });
        Assert.Equal(HttpStatusCode.NotFound, notAnId.StatusCode);
        Assert.Equal(JsonValueKind.String, (await Json(notAnId)).GetProperty("error").ValueKind);

        // Bad bodies: 400 in the group's shape, nothing changed.
        var none = await admin.PutAsJsonAsync(url, new { });
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        await Golden.AssertBodyAsync(none, """{"error":"Invalid process step","details":[{"field":"isQualityCheckpoint","message":"Required"}]}""");
        var wrongType = await admin.PutAsync(url, Golden.Raw("""{"isQualityCheckpoint":"yes"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Equal("isQualityCheckpoint", (await Json(wrongType)).GetProperty("details")[0].GetProperty("field").GetString());
        var malformed = await admin.PutAsync(url, Golden.Raw("{"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.True((await Json(malformed)).TryGetProperty("error", out _));
        Assert.False((await admin.GetFromJsonAsync<JsonElement>($"/api/paths/{id}")).GetProperty("steps")[1].GetProperty("isQualityCheckpoint").GetBoolean());

        // Only an admin, as for creating paths.
        foreach (var email in DemoUsers.All.Where(e => e != DemoUsers.Admin))
        {
            var refused = await (await app.ClientForAsync(email)).PutAsJsonAsync(url, new { isQualityCheckpoint = true });
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        Assert.False((await admin.GetFromJsonAsync<JsonElement>($"/api/paths/{id}")).GetProperty("steps")[1].GetProperty("isQualityCheckpoint").GetBoolean());
    }

    [Fact]
    public async Task Work_orders_draw_the_next_number_and_check_their_references()
    {
        var client = await app.ClientForAsync(DemoUsers.Admin);
        var part = await FirstIdAsync(client, "/api/parts");
        var path = await FirstIdAsync(client, "/api/paths");
        var created = await client.PostAsJsonAsync("/api/work-orders", new { partId = part, pathId = path, quantity = 12 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Matches(@"^WO-\d{5}$", (await Json(created)).GetProperty("number").GetString());

        var missing = Guid.NewGuid();
        var unknownPath = await client.PostAsJsonAsync("/api/work-orders", new { partId = part, pathId = missing, quantity = 1 });
        Assert.Equal(HttpStatusCode.NotFound, unknownPath.StatusCode);
        await Golden.AssertBodyAsync(unknownPath, """{"error":"Path not found: <uuid>"}""");

        var zero = await client.PostAsJsonAsync("/api/work-orders", new { partId = part, pathId = path, quantity = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
    }

    [Fact]
    public async Task Concurrent_license_plate_creates_draw_distinct_numbers()
    {
        var client = await app.ClientForAsync(DemoUsers.Admin);
        var part = await FirstIdAsync(client, "/api/parts");
        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => client.PostAsJsonAsync("/api/license-plates", new { partId = part, quantity = 2.5, uom = "kg" })));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(Json));
        var numbers = bodies.Select(b => b.GetProperty("number").GetString()).ToArray();
        Assert.Equal(30, numbers.Distinct().Count());
        Assert.All(numbers, n => Assert.Matches(@"^LP-\d{5}$", n));
        Assert.All(bodies, b => Assert.Equal("pending", b.GetProperty("qaStatus").GetString()));
    }

    [Fact]
    public async Task Lists_page_and_treat_search_text_literally()
    {
        var client = await app.ClientForAsync(DemoUsers.Viewer);
        var first = await client.GetFromJsonAsync<JsonElement>("/api/license-plates?limit=5&offset=0");
        var second = await client.GetFromJsonAsync<JsonElement>("/api/license-plates?limit=5&offset=5");
        Assert.Equal(5, first.GetProperty("items").GetArrayLength());
        Assert.Equal(5, second.GetProperty("limit").GetInt32());
        Assert.Equal(5, second.GetProperty("offset").GetInt32());
        Assert.NotEqual(first.GetProperty("items")[0].GetProperty("id").GetGuid(), second.GetProperty("items")[0].GetProperty("id").GetGuid());

        foreach (var hostile in new[] { "' OR 1=1 --", "%", "_", "<script>alert(1)</script>", "\"; DROP TABLE \"Parts\"; --" })
        {
            var result = await client.GetAsync($"/api/parts?search={Uri.EscapeDataString(hostile)}");
            Assert.Equal(HttpStatusCode.OK, result.StatusCode);
            Assert.Equal(0, (await Json(result)).GetProperty("total").GetInt32());
        }

        var tooMany = await client.GetAsync("/api/parts?limit=501");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        await Golden.AssertBodyAsync(tooMany, """{"error":"Invalid list parameters","details":[{"field":"limit","message":"limit must be between 1 and 500"}]}""");
    }

    [Fact]
    public async Task Parts_answer_in_the_order_sort_names_and_an_unknown_key_is_a_400()
    {
        var client = await app.ClientForAsync(DemoUsers.Admin);
        var prefix = "API" + Guid.NewGuid().ToString("N")[..5].ToUpperInvariant();
        foreach (var n in new[] { "2", "3", "1" })
        {
            var created = await client.PostAsJsonAsync("/api/parts", new { number = $"{prefix}-{n}", sku = $"{prefix}{n}", name = $"Sorted {n}" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var sorted = await client.GetFromJsonAsync<JsonElement>($"/api/parts?search={prefix}&sort=-number");
        Assert.Equal([$"{prefix}-3", $"{prefix}-2", $"{prefix}-1"], sorted.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("number").GetString()));

        var bogus = await client.GetAsync("/api/parts?sort=bogus");
        Assert.Equal(HttpStatusCode.BadRequest, bogus.StatusCode);
        await Golden.AssertBodyAsync(bogus, """{"error":"Invalid list parameters","details":[{"field":"sort","message":"sort must be one of number, sku, name, uom, createdAt (prefix - for descending)"}]}""");
    }

    [Fact]
    public async Task Every_role_reads_and_only_an_admin_creates()
    {
        foreach (var email in DemoUsers.All)
        {
            var client = await app.ClientForAsync(email);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/batches")).StatusCode);
            var create = await client.PostAsJsonAsync("/api/locations", new { code = $"LOC-{email[..3]}", name = "Shelf" });
            Assert.Equal(email == DemoUsers.Admin ? HttpStatusCode.Created : HttpStatusCode.Forbidden, create.StatusCode);
        }
    }
}

public sealed class SqliteMasterDataApiTests(OperatorFactory app) : MasterDataApiTests<OperatorFactory>(app);

public sealed class PostgresMasterDataApiTests(PostgresOperatorFactory app) : MasterDataApiTests<PostgresOperatorFactory>(app);
