using System.Net;
using System.Net.Http.Json;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Holds;

/// <summary>The spec's role matrix for every endpoint, the inspector's own-holds rule, and organization isolation.</summary>
public sealed class HoldRolesTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    public static TheoryData<string> AllRoles => [.. DemoUsers.All];

    [Theory]
    [MemberData(nameof(AllRoles))]
    public async Task Every_role_reads_the_list_the_detail_and_the_report(string user)
    {
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var id = HoldsKit.Id(await HoldsKit.CreateAsync(app, inspector));
        var client = await app.ClientForAsync(user);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(HoldsKit.Path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{HoldsKit.Path}/{id}")).StatusCode);
        var report = await client.GetAsync($"{HoldsKit.Path}/{id}/report.pdf");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Equal("application/pdf", report.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(DemoUsers.Viewer, HttpStatusCode.Forbidden)]
    [InlineData(DemoUsers.Operator, HttpStatusCode.Forbidden)]
    [InlineData(DemoUsers.Inspector, HttpStatusCode.Created)]
    [InlineData(DemoUsers.Manager, HttpStatusCode.Created)]
    [InlineData(DemoUsers.Admin, HttpStatusCode.Created)]
    public async Task Create_is_for_inspectors_managers_and_admins(string user, HttpStatusCode expected)
    {
        var plate = await HoldsKit.NewPlateAsync(app);
        var client = await app.ClientForAsync(user);
        var response = await client.PostAsJsonAsync(HoldsKit.Path, HoldsKit.Body([HoldsKit.Lp(plate.Id)]));
        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
        {
            await Golden.AssertBodyAsync(response, """{"error":"Insufficient permissions to create quality holds"}""");
            Assert.Equal("pending", await HoldsKit.QaStatusAsync(app, plate.Id));
        }
    }

    [Theory]
    [InlineData(DemoUsers.Viewer, HttpStatusCode.Forbidden)]
    [InlineData(DemoUsers.Operator, HttpStatusCode.Forbidden)]
    [InlineData(DemoUsers.Inspector, HttpStatusCode.OK)]
    [InlineData(DemoUsers.Manager, HttpStatusCode.OK)]
    [InlineData(DemoUsers.Admin, HttpStatusCode.OK)]
    public async Task Release_of_an_inspectors_hold(string user, HttpStatusCode expected)
    {
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var id = HoldsKit.Id(await HoldsKit.CreateAsync(app, inspector));
        var response = await HoldsKit.ReleaseAsync(await app.ClientForAsync(user), id);
        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
        {
            await Golden.AssertBodyAsync(response, """{"error":"Insufficient permissions to release quality holds"}""");
        }
    }

    [Fact]
    public async Task An_inspector_releases_only_the_holds_they_created()
    {
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var managers = HoldsKit.Id(await HoldsKit.CreateAsync(app, manager));
        var admins = HoldsKit.Id(await HoldsKit.CreateAsync(app, await app.ClientForAsync(DemoUsers.Admin)));
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);

        foreach (var id in new[] { managers, admins })
        {
            var refused = await HoldsKit.ReleaseAsync(inspector, id);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            await Golden.AssertBodyAsync(refused, """{"error":"Insufficient permissions: a QA inspector may release only the quality holds they created"}""");
        }
        var still = await inspector.GetFromJsonAsync<System.Text.Json.Nodes.JsonNode>($"{HoldsKit.Path}/{managers}");
        Assert.Equal("active", still!["hold"]!["status"]!.GetValue<string>());

        // Managers release anyone's hold, the inspector's own included.
        var own = HoldsKit.Id(await HoldsKit.CreateAsync(app, inspector));
        Assert.Equal(HttpStatusCode.OK, (await HoldsKit.ReleaseAsync(inspector, own)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await HoldsKit.ReleaseAsync(manager, admins)).StatusCode);
    }

    [Theory]
    [InlineData(DemoUsers.Viewer, HttpStatusCode.Forbidden)]
    [InlineData(DemoUsers.Operator, HttpStatusCode.Forbidden)]
    [InlineData(DemoUsers.Inspector, HttpStatusCode.Forbidden)]
    [InlineData(DemoUsers.Manager, HttpStatusCode.NoContent)]
    [InlineData(DemoUsers.Admin, HttpStatusCode.NoContent)]
    public async Task Delete_is_for_managers_and_admins(string user, HttpStatusCode expected)
    {
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var id = HoldsKit.Id(await HoldsKit.CreateAsync(app, inspector));
        var response = await (await app.ClientForAsync(user)).SignedDeleteAsync($"{HoldsKit.Path}/{id}");
        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
        {
            await Golden.AssertBodyAsync(response, """{"error":"Insufficient permissions to delete quality holds"}""");
        }
        else
        {
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Without_a_token_every_endpoint_answers_401_in_the_spec_shape()
    {
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var id = HoldsKit.Id(await HoldsKit.CreateAsync(app, inspector));
        var anonymous = app.CreateClient();
        var responses = new[]
        {
            await anonymous.GetAsync(HoldsKit.Path),
            await anonymous.GetAsync($"{HoldsKit.Path}/{id}"),
            await anonymous.GetAsync($"{HoldsKit.Path}/{id}/report.pdf"),
            await anonymous.PostAsJsonAsync(HoldsKit.Path, new { }),
            await anonymous.PatchAsJsonAsync($"{HoldsKit.Path}/{id}/release", new { disposition = "release" }),
            await anonymous.SignedDeleteAsync($"{HoldsKit.Path}/{id}"),
        };
        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            await Golden.AssertBodyAsync(response, """{"error":"Unauthorized"}""");
        }
        var bad = new HttpClient(app.Server.CreateHandler()) { BaseAddress = app.Server.BaseAddress };
        bad.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await bad.GetAsync(HoldsKit.Path)).StatusCode);
    }

    [Fact]
    public async Task Another_organizations_hold_is_not_found_for_every_endpoint()
    {
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var plate = await HoldsKit.NewPlateAsync(app);
        var id = HoldsKit.Id(await HoldsKit.CreateAsync(app, inspector, items: [HoldsKit.Lp(plate.Id)]));
        var other = await app.ClientForAsync(DemoUsers.OtherAdmin);
        var responses = new[]
        {
            await other.GetAsync($"{HoldsKit.Path}/{id}"),
            await other.GetAsync($"{HoldsKit.Path}/{id}/report.pdf"),
            await HoldsKit.ReleaseAsync(other, id),
            await other.SignedDeleteAsync($"{HoldsKit.Path}/{id}"),
        };
        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            await Golden.AssertBodyAsync(response, """{"error":"Quality hold not found"}""");
        }
        var detail = await inspector.GetFromJsonAsync<System.Text.Json.Nodes.JsonNode>($"{HoldsKit.Path}/{id}");
        Assert.Equal("active", detail!["hold"]!["status"]!.GetValue<string>());
        Assert.Equal("hold", await HoldsKit.QaStatusAsync(app, plate.Id));
    }

    [Fact]
    public async Task Another_organizations_references_are_not_found()
    {
        var other = await app.ClientForAsync(DemoUsers.OtherAdmin);
        var plate = await HoldsKit.NewPlateAsync(app);
        var order = await HoldsKit.NewWorkOrderAsync(app);
        var batch = await HoldsKit.NewBatchAsync(app);
        var cases = new (object Item, string Message)[]
        {
            (HoldsKit.Lp(plate.Id), "License plate not found"),
            (HoldsKit.Wo(order.Id), "Work order not found"),
            (HoldsKit.Bt(batch.Id), "Batch not found"),
        };
        foreach (var (item, message) in cases)
        {
            var response = await other.PostAsJsonAsync(HoldsKit.Path, HoldsKit.Body([item]));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            await Golden.AssertBodyAsync(response, $$"""{"error":"{{message}}"}""");
        }
        Assert.Equal("pending", await HoldsKit.QaStatusAsync(app, plate.Id));

        // The same organization's own references work for its admin.
        var own = await HoldsKit.NewPlateAsync(app, "AC01");
        var created = await HoldsKit.CreateAsync(app, other, items: [HoldsKit.Lp(own.Id)]);
        Assert.Equal(await app.OrganizationIdAsync("AC01"), created["hold"]!["org_id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task Ids_that_are_not_uuids_are_not_found()
    {
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        foreach (var response in new[]
                 {
                     await manager.GetAsync($"{HoldsKit.Path}/not-a-uuid"),
                     await manager.GetAsync($"{HoldsKit.Path}/1%27%20OR%201=1/report.pdf"),
                     await HoldsKit.ReleaseAsync(manager, "x"),
                     await manager.SignedDeleteAsync($"{HoldsKit.Path}/x"),
                 })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            await Golden.AssertBodyAsync(response, """{"error":"Quality hold not found"}""");
        }
    }
}
