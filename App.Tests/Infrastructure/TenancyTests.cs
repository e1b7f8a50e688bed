using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.MasterData;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;
using Operator.Tests.Support;

namespace Operator.Tests.Infrastructure;

public sealed class TenancyTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task Another_organizations_record_answers_404_exactly_like_a_missing_one()
    {
        var ma01 = await app.ClientForAsync(DemoUsers.Admin);
        var ac01 = await app.ClientForAsync(DemoUsers.OtherAdmin);
        var plate = (await ma01.GetFromJsonAsync<JsonElement>("/api/license-plates?limit=1")).GetProperty("items")[0];
        var id = plate.GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.OK, (await ma01.GetAsync($"/api/license-plates/{id}")).StatusCode);
        var foreign = await ac01.GetAsync($"/api/license-plates/{id}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        await Golden.AssertBodyAsync(foreign, """{"error":"LicensePlate not found: <uuid>"}""");
    }

    [Fact]
    public async Task Lists_show_only_the_callers_organization()
    {
        var ac01 = await app.ClientForAsync(DemoUsers.OtherAdmin);
        var parts = await ac01.GetFromJsonAsync<JsonElement>("/api/parts");
        Assert.Equal(3, parts.GetProperty("total").GetInt32());
        Assert.All(parts.GetProperty("items").EnumerateArray(), p => Assert.StartsWith("V-", p.GetProperty("number").GetString()));
        var users = await ac01.GetFromJsonAsync<JsonElement>("/api/users");
        Assert.Equal(["admin@ac01.demo"], users.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("email").GetString()));
    }

    [Fact]
    public async Task A_reference_to_another_organizations_part_is_not_found()
    {
        var ma01 = await app.ClientForAsync(DemoUsers.Admin);
        var ac01 = await app.ClientForAsync(DemoUsers.OtherAdmin);
        var foreignPart = (await ac01.GetFromJsonAsync<JsonElement>("/api/parts?limit=1")).GetProperty("items")[0].GetProperty("id").GetGuid();
        var response = await ma01.PostAsJsonAsync("/api/batches", new { partId = foreignPart, quantity = 5, uom = "pcs" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_context_without_a_caller_sees_no_tenant_rows_and_cannot_write_into_another_organization()
    {
        var options = app.Services.GetRequiredService<DbContextOptions>();
        await using (var anonymous = OperatorDbFactory.Create(options, app.Provider, FixedUser.Nobody))
        {
            Assert.Equal(0, await anonymous.Set<Part>().CountAsync());
            Assert.True(await anonymous.Set<Part>().IgnoreQueryFilters().CountAsync() >= 6);
        }

        var ma01 = await app.OrganizationIdAsync("MA01");
        var ac01 = await app.OrganizationIdAsync("AC01");
        await using var db = OperatorDbFactory.Create(options, app.Provider, FixedUser.For(ma01, Guid.NewGuid(), "ADMIN"));
        db.Add(new Location { OrganizationId = ac01, Code = "SNEAK", Name = "Sneaky" });
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }
}
