using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Holds;

/// <summary>GET /api/quality/holds: filters, search, sorting, paging, aging and parameter errors.</summary>
public sealed class HoldListTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    /// <summary>A word only this test's holds carry, so tests sharing the database see only their own rows.</summary>
    private static string Marker() => "mark" + Guid.NewGuid().ToString("N")[..10];

    private static string ReasonWith(string marker, string text = "Material failed inspection") => $"{text} [{marker}]";

    private static async Task<JsonNode> ListAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"{HoldsKit.Path}?{query}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private static IReadOnlyList<string> Numbers(JsonNode list) =>
        list["holds"]!.AsArray().Select(h => h!["hold_number"]!.GetValue<string>()).ToList();

    private static async Task<JsonArray> ParameterErrorsAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"{HoldsKit.Path}?{query}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Expected 400 for {query}, got {(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!;
        Assert.Equal("Invalid request parameters", body["error"]!.GetValue<string>());
        return body["details"]!.AsArray();
    }

    [Fact]
    public async Task Status_priority_and_type_filters_take_comma_lists()
    {
        var marker = Marker();
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var low = await HoldsKit.CreateAsync(app, inspector, "low", "qa_pending", ReasonWith(marker));
        var medium = await HoldsKit.CreateAsync(app, inspector, "medium", "investigation", ReasonWith(marker));
        var high = await HoldsKit.CreateAsync(app, inspector, "high", "recall", ReasonWith(marker));
        var critical = await HoldsKit.CreateAsync(app, inspector, "critical", "quarantine", ReasonWith(marker));
        Assert.Equal(HttpStatusCode.OK, (await HoldsKit.ReleaseAsync(manager, HoldsKit.Id(low))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await manager.SignedDeleteAsync($"{HoldsKit.Path}/{HoldsKit.Id(medium)}")).StatusCode);
        string N(JsonNode created) => created["hold"]!["hold_number"]!.GetValue<string>();

        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        Assert.Equal(4, (await ListAsync(viewer, $"search={marker}"))["pagination"]!["total"]!.GetValue<int>());
        Assert.Equal([N(critical), N(high)], Numbers(await ListAsync(viewer, $"search={marker}&status=active&sort=priority%20DESC")));
        Assert.Equal([N(low)], Numbers(await ListAsync(viewer, $"search={marker}&status=released")));
        Assert.Equal([N(medium)], Numbers(await ListAsync(viewer, $"search={marker}&status=disposed")));
        Assert.Equal([N(high), N(medium), N(low)], Numbers(await ListAsync(viewer, $"search={marker}&status=released,disposed,active&priority=low,medium,high&sort=priority%20DESC")));
        Assert.Equal([N(critical), N(high)], Numbers(await ListAsync(viewer, $"search={marker}&hold_type=recall,quarantine&sort=priority+DESC")));
        Assert.Equal([N(low)], Numbers(await ListAsync(viewer, $"search={marker}&priority=low&hold_type=qa_pending&status=released")));
        Assert.Empty(Numbers(await ListAsync(viewer, $"search={marker}&priority=low&status=active")));

        // Repeated parameters count as one comma list; blanks and repeats are dropped.
        var repeated = await ListAsync(viewer, $"search={marker}&status=active&status=released&priority=,high,%20critical,high&sort=priority%20DESC");
        Assert.Equal([N(critical), N(high)], Numbers(repeated));
        Assert.Equal("""{"status":["active","released"],"priority":["high","critical"],"hold_type":null,"date_range":{"from":null,"to":null},"search":"MARKER"}""".Replace("MARKER", marker),
            repeated["filters_applied"]!.ToJsonString(Golden.Plain));
    }

    /// <summary>
    /// Without a search, status and priority filters on a list in time order may be read by walking the holds in time
    /// order (SQLite, when the tallies say matches are common): the same holds, in the same order, as the filters say.
    /// </summary>
    [Fact]
    public async Task Status_and_priority_filters_without_a_search_give_exactly_the_matching_holds_in_time_order()
    {
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        foreach (var (priority, release) in new[] { ("critical", false), ("high", true), ("low", false), ("medium", true), ("high", false) })
        {
            app.Clock.Advance(TimeSpan.FromMinutes(1));
            var created = await HoldsKit.CreateAsync(app, inspector, priority, "quarantine", ReasonWith(Marker()));
            if (release) Assert.Equal(HttpStatusCode.OK, (await HoldsKit.ReleaseAsync(manager, HoldsKit.Id(created))).StatusCode);
        }
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);

        async Task<List<JsonNode>> AllAsync(string query)
        {
            var all = new List<JsonNode>();
            for (var offset = 0; ; offset += 100)
            {
                var page = (await ListAsync(viewer, $"{query}&limit=100&offset={offset}"))["holds"]!.AsArray();
                all.AddRange(page.Select(h => h!));
                if (page.Count < 100) return all;
            }
        }
        var everything = await AllAsync("sort=held_at%20DESC");
        var expected = everything
            .Where(h => h["status"]!.GetValue<string>() is "active" or "released" && h["priority"]!.GetValue<string>() is "critical" or "high")
            .Select(h => h["hold_number"]!.GetValue<string>()).ToList();
        Assert.True(expected.Count >= 3, $"only {expected.Count} matching holds");

        var filtered = await AllAsync("status=active,released&priority=critical,high&sort=held_at%20DESC");
        Assert.Equal(expected, filtered.Select(h => h["hold_number"]!.GetValue<string>()).ToList());
        var firstPage = await ListAsync(viewer, "status=active,released&priority=critical,high&limit=2");
        Assert.Equal(expected.Take(2), Numbers(firstPage));
        Assert.Equal(expected.Count, firstPage["pagination"]!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task From_and_to_are_inclusive_and_a_date_covers_its_whole_day()
    {
        var marker = Marker();
        var numbers = new List<string>();
        foreach (var at in new[] { "2031-01-01T00:00:00Z", "2031-01-31T23:59:59Z", "2031-02-01T00:00:00Z" })
        {
            app.Clock.Set(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture));
            var inspector = await app.ClientForAsync(DemoUsers.Inspector);
            numbers.Add((await HoldsKit.CreateAsync(app, inspector, reason: ReasonWith(marker)))["hold"]!["hold_number"]!.GetValue<string>());
        }
        Assert.Equal(["QH-20310101-0001", "QH-20310131-0001", "QH-20310201-0001"], numbers);
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);

        var january = await ListAsync(viewer, $"search={marker}&from=2031-01-01&to=2031-01-31&sort=held_at%20ASC");
        Assert.Equal(numbers.Take(2), Numbers(january));
        Assert.Equal("""{"from":"2031-01-01","to":"2031-01-31"}""", january["filters_applied"]!["date_range"]!.ToJsonString());

        Assert.Equal(numbers.Skip(1), Numbers(await ListAsync(viewer, $"search={marker}&from=2031-01-31T23:59:59Z&sort=held_at%20ASC")));
        Assert.Equal(numbers.Take(1), Numbers(await ListAsync(viewer, $"search={marker}&to=2031-01-01T00:00:00Z")));
        Assert.Equal(numbers.Take(1), Numbers(await ListAsync(viewer, $"search={marker}&to=2031-01-01T01:00:00%2B01:00")));
        Assert.Equal(numbers.Skip(2), Numbers(await ListAsync(viewer, $"search={marker}&from=2031-02-01")));
        Assert.Empty(Numbers(await ListAsync(viewer, $"search={marker}&from=2031-02-02")));
    }

    [Theory]
    [InlineData("from=yesterday", "invalid_string", "[\"from\"]")]
    [InlineData("to=2025-13-01", "invalid_string", "[\"to\"]")]
    [InlineData("from=2025-02-30", "invalid_string", "[\"from\"]")]
    [InlineData("from=2025-02-10&to=2025-02-01", "custom", "[\"to\"]")]
    [InlineData("status=active,closed", "invalid_enum_value", "[\"status\",1]")]
    [InlineData("status=Active", "invalid_enum_value", "[\"status\",0]")]
    [InlineData("priority=urgent", "invalid_enum_value", "[\"priority\",0]")]
    [InlineData("hold_type=Recall", "invalid_enum_value", "[\"hold_type\",0]")]
    [InlineData("limit=101", "too_big", "[\"limit\"]")]
    [InlineData("limit=0", "too_small", "[\"limit\"]")]
    [InlineData("limit=-5", "too_small", "[\"limit\"]")]
    [InlineData("limit=abc", "invalid_type", "[\"limit\"]")]
    [InlineData("limit=2.5", "invalid_type", "[\"limit\"]")]
    [InlineData("limit=99999999999999999999", "invalid_type", "[\"limit\"]")]
    [InlineData("offset=-1", "too_small", "[\"offset\"]")]
    [InlineData("offset=1000001", "too_big", "[\"offset\"]")]
    [InlineData("offset=x", "invalid_type", "[\"offset\"]")]
    [InlineData("sort=foo%20DESC", "invalid_enum_value", "[\"sort\"]")]
    [InlineData("sort=priority%20sideways", "invalid_enum_value", "[\"sort\"]")]
    [InlineData("sort=HELD_AT", "invalid_enum_value", "[\"sort\"]")]
    [InlineData("sort=held_at;DROP%20TABLE%20x", "invalid_enum_value", "[\"sort\"]")]
    public async Task Bad_parameters_are_400_naming_the_parameter(string query, string code, string path)
    {
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var details = await ParameterErrorsAsync(viewer, query);
        Assert.Contains(details, d => d!["code"]!.GetValue<string>() == code && d["path"]!.ToJsonString() == path);
    }

    [Fact]
    public async Task Search_over_500_characters_is_refused_and_several_problems_come_together()
    {
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var details = await ParameterErrorsAsync(viewer, $"search={new string('s', 501)}");
        Assert.Equal("""{"code":"too_big","maximum":500,"type":"string","inclusive":true,"exact":false,"path":["search"],"message":"String must contain at most 500 character(s)"}""",
            details.Single()!.ToJsonString(Golden.Plain));
        var several = await ParameterErrorsAsync(viewer, "limit=500&offset=-1&status=open");
        Assert.Equal(3, several.Count);
    }

    [Fact]
    public async Task Search_matches_number_or_reason_ignoring_case_and_takes_text_literally()
    {
        var marker = Marker();
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var metal = await HoldsKit.CreateAsync(app, inspector, reason: ReasonWith(marker, "Failed METAL detection at 100% belt speed"));
        var other = await HoldsKit.CreateAsync(app, inspector, reason: ReasonWith(marker, "Label misprint_on carton"));
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);

        Assert.Equal([metal["hold"]!["hold_number"]!.GetValue<string>()], Numbers(await ListAsync(viewer, "search=" + Uri.EscapeDataString("metal detection at 100%"))));
        var number = other["hold"]!["hold_number"]!.GetValue<string>();
        Assert.Equal([number], Numbers(await ListAsync(viewer, "search=" + number.ToLowerInvariant())));
        Assert.Equal([number], Numbers(await ListAsync(viewer, "search=" + Uri.EscapeDataString("misprint_on"))));
        // % and _ are text, not wildcards.
        Assert.Empty(Numbers(await ListAsync(viewer, "search=" + Uri.EscapeDataString($"{marker}%"))));
        Assert.Empty(Numbers(await ListAsync(viewer, "search=" + Uri.EscapeDataString("misprint%on"))));
        Assert.Empty(Numbers(await ListAsync(viewer, "search=" + Uri.EscapeDataString("misprint_o_"))));

        foreach (var hostile in new[] { "' OR '1'='1", "'; DROP TABLE \"QualityHolds\"; --", "<script>alert(1)</script>", "\" OR 1=1 --", "\\", "QH-%", "%%%" })
        {
            var result = await ListAsync(viewer, "search=" + Uri.EscapeDataString(hostile));
            Assert.Equal(0, result["pagination"]!["total"]!.GetValue<int>());
            Assert.Equal(hostile.Trim(), result["filters_applied"]!["search"]!.GetValue<string>());
        }
        // The table is still there.
        Assert.Equal(2, (await ListAsync(viewer, $"search={marker}"))["pagination"]!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Sort_by_each_field_in_both_directions()
    {
        var marker = Marker();
        var start = new DateTimeOffset(2032, 3, 1, 8, 0, 0, TimeSpan.Zero);
        var created = new List<(string Number, string Priority, string Type)>();
        (string Priority, string Type)[] specs = [("medium", "recall"), ("critical", "qa_pending"), ("low", "quarantine"), ("high", "investigation")];
        for (var i = 0; i < specs.Length; i++)
        {
            app.Clock.Set(start.AddHours(i));
            var inspector = await app.ClientForAsync(DemoUsers.Inspector);
            var items = new List<object>();
            for (var n = 0; n <= i % 3; n++) items.Add(HoldsKit.Lp((await HoldsKit.NewPlateAsync(app)).Id));
            var hold = await HoldsKit.CreateAsync(app, inspector, specs[i].Priority, specs[i].Type, ReasonWith(marker), items);
            created.Add((hold["hold"]!["hold_number"]!.GetValue<string>(), specs[i].Priority, specs[i].Type));
        }
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        async Task<IReadOnlyList<string>> Sorted(string sort) => Numbers(await ListAsync(viewer, $"search={marker}&sort={Uri.EscapeDataString(sort)}"));
        var byTime = created.Select(c => c.Number).ToList();

        Assert.Equal(Enumerable.Reverse(byTime), await Sorted("held_at DESC"));
        Assert.Equal(Enumerable.Reverse(byTime), Numbers(await ListAsync(viewer, $"search={marker}")));
        Assert.Equal(byTime, await Sorted("held_at ASC"));
        Assert.Equal(byTime, await Sorted("held_at"));
        Assert.Equal(byTime, await Sorted("hold_number asc"));
        Assert.Equal(Enumerable.Reverse(byTime), await Sorted("hold_number desc"));
        Assert.Equal([created[1].Number, created[3].Number, created[0].Number, created[2].Number], await Sorted("priority DESC"));
        Assert.Equal([created[2].Number, created[0].Number, created[3].Number, created[1].Number], await Sorted("priority ASC"));
        Assert.Equal([created[3].Number, created[1].Number, created[2].Number, created[0].Number], await Sorted("hold_type ASC"));
        // items_count: 1, 2, 3, 1 item(s); ties keep the newest first.
        Assert.Equal([created[2].Number, created[1].Number, created[3].Number, created[0].Number], await Sorted("items_count DESC"));
        Assert.Equal(4, (await Sorted("status ASC")).Count);
        Assert.Equal(4, (await Sorted("updated_at DESC")).Count);
    }

    [Fact]
    public async Task Pagination_reports_totals_pages_and_neighbours()
    {
        var marker = Marker();
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        for (var i = 0; i < 5; i++) await HoldsKit.CreateAsync(app, inspector, reason: ReasonWith(marker));
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);

        var first = await ListAsync(viewer, $"search={marker}&limit=2");
        Assert.Equal("""{"total":5,"limit":2,"offset":0,"total_pages":3,"has_next":true,"has_prev":false}""", first["pagination"]!.ToJsonString());
        Assert.Equal(2, first["holds"]!.AsArray().Count);
        var middle = await ListAsync(viewer, $"search={marker}&limit=2&offset=2");
        Assert.Equal("""{"total":5,"limit":2,"offset":2,"total_pages":3,"has_next":true,"has_prev":true}""", middle["pagination"]!.ToJsonString());
        var last = await ListAsync(viewer, $"search={marker}&limit=2&offset=4");
        Assert.Equal("""{"total":5,"limit":2,"offset":4,"total_pages":3,"has_next":false,"has_prev":true}""", last["pagination"]!.ToJsonString());
        Assert.Single(last["holds"]!.AsArray());
        var beyond = await ListAsync(viewer, $"search={marker}&limit=2&offset=40");
        Assert.Empty(beyond["holds"]!.AsArray());
        Assert.Equal(5, beyond["pagination"]!["total"]!.GetValue<int>());
        var all = Numbers(first).Concat(Numbers(middle)).Concat(Numbers(last)).ToList();
        Assert.Equal(5, all.Distinct().Count());

        var max = await ListAsync(viewer, "limit=100");
        Assert.Equal(100, max["pagination"]!["limit"]!.GetValue<int>());
        var defaults = await ListAsync(viewer, "");
        Assert.Equal(20, defaults["pagination"]!["limit"]!.GetValue<int>());
        Assert.Equal(0, defaults["pagination"]!["offset"]!.GetValue<int>());
        var empty = await ListAsync(viewer, $"search=nothing-{marker}");
        Assert.Equal("""{"total":0,"limit":20,"offset":0,"total_pages":0,"has_next":false,"has_prev":false}""", empty["pagination"]!.ToJsonString());
    }

    [Fact]
    public async Task The_list_cuts_the_reason_to_100_characters_and_the_detail_keeps_it_whole()
    {
        var marker = Marker();
        var reason = ReasonWith(marker, new string('x', 300));
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var created = await HoldsKit.CreateAsync(app, inspector, reason: reason);
        var listed = (await ListAsync(inspector, $"search={marker}"))["holds"]![0]!["reason"]!.GetValue<string>();
        Assert.Equal(100, listed.Length);
        Assert.EndsWith("...", listed);
        Assert.StartsWith(new string('x', 97), listed);
        var detail = await inspector.GetFromJsonAsync<JsonNode>($"{HoldsKit.Path}/{HoldsKit.Id(created)}");
        Assert.Equal(reason, detail!["hold"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_organizations_holds_are_not_listed()
    {
        var marker = Marker();
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        await HoldsKit.CreateAsync(app, inspector, reason: ReasonWith(marker));
        var other = await app.ClientForAsync(DemoUsers.OtherAdmin);
        Assert.Equal(0, (await ListAsync(other, $"search={marker}"))["pagination"]!["total"]!.GetValue<int>());
        var all = await ListAsync(other, "limit=100");
        Assert.DoesNotContain(all["holds"]!.AsArray(), h => h!["held_by"]!["email"]!.GetValue<string>().EndsWith("@ma01.demo", StringComparison.Ordinal));
    }
}
