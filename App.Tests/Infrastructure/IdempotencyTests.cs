using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;
using Operator.Tests.Features.Holds;
using Operator.Tests.Features.Serials;
using Operator.Tests.Support;

namespace Operator.Tests.Infrastructure;

/// <summary>
/// <c>Idempotency-Key</c> on hold create and batch create: a client that lost the 201 may send the request again and
/// gets the first answer instead of a second record.
/// </summary>
public abstract class IdempotencyTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    private static HttpRequestMessage Post(string url, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private static string NewKey() => "key-" + Guid.NewGuid().ToString("N");

    private static string Marked(string marker) => $"{HoldsKit.Reason} [{marker}]";

    private static async Task<int> HoldsWithAsync(HttpClient client, string marker) =>
        (await client.GetFromJsonAsync<JsonNode>($"{HoldsKit.Path}?search={marker}"))!["pagination"]!["total"]!.GetValue<int>();

    [Fact]
    public async Task The_same_key_twice_creates_one_hold_and_answers_the_first_body_again()
    {
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var marker = "idem" + Guid.NewGuid().ToString("N")[..8];
        var body = HoldsKit.Body([HoldsKit.Lp((await HoldsKit.NewPlateAsync(app)).Id)], Marked(marker));
        var key = NewKey();

        var first = await inspector.SendAsync(Post(HoldsKit.Path, body, key));
        var firstText = await first.Content.ReadAsStringAsync();
        Assert.True(first.StatusCode == HttpStatusCode.Created, firstText);
        var again = await inspector.SendAsync(Post(HoldsKit.Path, body, key));

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(firstText, await again.Content.ReadAsStringAsync());
        Assert.Equal(first.Content.Headers.ContentType?.MediaType, again.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, await HoldsWithAsync(inspector, marker));
    }

    [Fact]
    public async Task The_same_key_twice_creates_one_batch_of_serials()
    {
        var operatorClient = await app.ClientForAsync(DemoUsers.Operator);
        var order = await SerialsKit.NewWorkOrderAsync(app);
        var body = new { workOrderId = order.Id.ToString(), quantity = 3 };
        var key = NewKey();

        var first = await operatorClient.SendAsync(Post("/api/serials/batch", body, key));
        var firstText = await first.Content.ReadAsStringAsync();
        Assert.True(first.StatusCode == HttpStatusCode.Created, firstText);
        var again = await operatorClient.SendAsync(Post("/api/serials/batch", body, key));

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(firstText, await again.Content.ReadAsStringAsync());
        var serials = await operatorClient.GetFromJsonAsync<JsonNode>($"/api/serials?workOrderId={order.Id}");
        Assert.Equal(3, serials!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_key_reused_with_another_body_is_refused_and_creates_nothing()
    {
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var marker = "idem" + Guid.NewGuid().ToString("N")[..8];
        var plate = (await HoldsKit.NewPlateAsync(app)).Id;
        var key = NewKey();
        var first = await inspector.SendAsync(Post(HoldsKit.Path, HoldsKit.Body([HoldsKit.Lp(plate)], Marked(marker)), key));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        var other = await inspector.SendAsync(Post(HoldsKit.Path, HoldsKit.Body([HoldsKit.Lp(plate)], Marked(marker), priority: "low"), key));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        var error = await other.Content.ReadFromJsonAsync<JsonNode>();
        Assert.Equal("Idempotency-Key was already used for a different request; send a new key for a new request", error!["error"]!.GetValue<string>());
        Assert.Equal(1, await HoldsWithAsync(inspector, marker));
    }

    [Fact]
    public async Task Another_user_with_the_same_key_creates_a_record_of_their_own()
    {
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var marker = "idem" + Guid.NewGuid().ToString("N")[..8];
        var body = HoldsKit.Body([HoldsKit.Lp((await HoldsKit.NewPlateAsync(app)).Id)], Marked(marker));
        var key = NewKey();

        var mine = await inspector.SendAsync(Post(HoldsKit.Path, body, key));
        var theirs = await manager.SendAsync(Post(HoldsKit.Path, body, key));

        Assert.Equal(HttpStatusCode.Created, mine.StatusCode);
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        Assert.NotEqual(HoldsKit.Id(JsonNode.Parse(await mine.Content.ReadAsStringAsync())!), HoldsKit.Id(JsonNode.Parse(await theirs.Content.ReadAsStringAsync())!));
        Assert.Equal(2, await HoldsWithAsync(inspector, marker));
    }

    [Fact]
    public async Task A_key_older_than_24_hours_creates_again()
    {
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var marker = "idem" + Guid.NewGuid().ToString("N")[..8];
        var body = HoldsKit.Body([HoldsKit.Lp((await HoldsKit.NewPlateAsync(app)).Id)], Marked(marker));
        var key = NewKey();
        Assert.Equal(HttpStatusCode.Created, (await inspector.SendAsync(Post(HoldsKit.Path, body, key))).StatusCode);

        app.Clock.Advance(TimeSpan.FromHours(25));
        try
        {
            inspector = await app.ClientForAsync(DemoUsers.Inspector);
            Assert.Equal(HttpStatusCode.Created, (await inspector.SendAsync(Post(HoldsKit.Path, body, key))).StatusCode);
            Assert.Equal(2, await HoldsWithAsync(inspector, marker));
        }
        finally
        {
            app.Clock.Advance(TimeSpan.FromHours(-25));
        }
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("k23456789_123456789_123456789_123456789_123456789_123456789_123456789_123456789_123456789_123456789_123456789_123456789_123456789_123456789_123456789_123456789_123456789_123456789_123456789_123456789_1")]
    public async Task A_malformed_key_is_a_400_in_the_groups_shape(string key)
    {
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var request = Post(HoldsKit.Path, HoldsKit.Body([HoldsKit.Lp((await HoldsKit.NewPlateAsync(app)).Id)]), "x");
        request.Headers.Remove("Idempotency-Key");
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        var response = await inspector.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonNode>();
        Assert.Equal("Invalid request parameters", body!["error"]!.GetValue<string>());
        Assert.Equal("Idempotency-Key", body["details"]![0]!["path"]![0]!.GetValue<string>());
    }
}

public sealed class SqliteIdempotencyTests(OperatorFactory app) : IdempotencyTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

public sealed class PostgresIdempotencyTests(PostgresOperatorFactory app) : IdempotencyTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;

/// <summary>
/// Holds requests with one key at the points the filter offers: both wait until both have arrived before claiming the
/// key (so both try to insert it at once), and the one that claimed it waits after the claim until the test releases it.
/// </summary>
public sealed class IdempotencyGate : IdempotencySeam
{
    private int _arrived;
    private readonly TaskCompletionSource _bothArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string? Key { get; set; }
    public TaskCompletionSource Claimed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private bool Gated(HttpContext context) => Key is not null && context.Request.Headers["Idempotency-Key"] == Key;

    public override async Task BeforeClaimAsync(HttpContext context)
    {
        if (!Gated(context)) return;
        if (Interlocked.Increment(ref _arrived) == 2) _bothArrived.TrySetResult();
        await _bothArrived.Task;
    }

    public override async Task AfterClaimAsync(HttpContext context)
    {
        if (!Gated(context)) return;
        Claimed.TrySetResult();
        await Release.Task;
    }
}

public sealed class PostgresIdempotencyGateFactory() : OperatorFactory(DatabaseProvider.Postgres)
{
    public IdempotencyGate Gate { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IdempotencySeam>(Gate));
    }
}

public sealed class IdempotencyRaceTests(PostgresIdempotencyGateFactory app) : IClassFixture<PostgresIdempotencyGateFactory>
{
    [Fact]
    public async Task Two_requests_with_one_key_at_once_create_one_hold_and_the_loser_is_told_to_retry()
    {
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var marker = "race" + Guid.NewGuid().ToString("N")[..8];
        var body = HoldsKit.Body([HoldsKit.Lp((await HoldsKit.NewPlateAsync(app)).Id)], $"{HoldsKit.Reason} [{marker}]");
        var key = "race-" + Guid.NewGuid().ToString("N");
        app.Gate.Key = key;

        HttpRequestMessage Request()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, HoldsKit.Path) { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }

        var first = inspector.SendAsync(Request());
        var second = inspector.SendAsync(Request());
        // Both inserted the key at once; the unique index let one through, which now waits after its claim.
        await Task.WhenAny(app.Gate.Claimed.Task, Task.WhenAll(first, second));
        Assert.True(app.Gate.Claimed.Task.IsCompleted, "neither request claimed the key");
        var loser = await await Task.WhenAny(first, second);
        Assert.Equal(HttpStatusCode.Conflict, loser.StatusCode);
        Assert.Equal("A request with this Idempotency-Key is still in progress; retry when it has finished",
            (await loser.Content.ReadFromJsonAsync<JsonNode>())!["error"]!.GetValue<string>());

        app.Gate.Release.SetResult();
        var winner = await (loser == await first ? second : first);
        var winnerText = await winner.Content.ReadAsStringAsync();
        Assert.True(winner.StatusCode == HttpStatusCode.Created, winnerText);

        app.Gate.Key = null;
        var retry = await inspector.SendAsync(Request());
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(winnerText, await retry.Content.ReadAsStringAsync());
        var listed = await inspector.GetFromJsonAsync<JsonNode>($"{HoldsKit.Path}?search={marker}");
        Assert.Equal(1, listed!["pagination"]!["total"]!.GetValue<int>());
    }
}
