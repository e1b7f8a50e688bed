using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Serials;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Outbox;
using Operator.Tests.Support;
using static Operator.Tests.Features.Serialization.WorkflowKit;

namespace Operator.Tests.Features.Serialization;

/// <summary>
/// The last two open units of a work order completed at the same moment: exactly one BATCH_COMPLETION. The first
/// completion is held inside its transaction, after its own check found the other unit still open; the second must
/// wait for the first's commit (the organization's audit-chain lock) and then find nothing open. Without that order the
/// second would check while the first is held, also find a unit open, and neither would fire.
/// </summary>
public abstract class BatchCompletionRaceTests<TFactory>(TFactory app) where TFactory : OperatorFactory, IHeldCompletions
{
    [Fact]
    public async Task The_last_two_units_completed_at_once_fire_exactly_one_batch_completion()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        var (orderId, orderNumber, _) = await NewWorkOrderAsync(app, part.Id, quantity: 2);
        await CreateTriggerAsync(admin, new { partId = part.Id, triggerType = "BATCH_COMPLETION", assignmentType = "LATE_ASSIGNMENT" });
        var operatorClient = await app.ClientForAsync(DemoUsers.Operator);
        var batch = await operatorClient.PostAsJsonAsync("/api/serials/batch", new { workOrderId = orderId.ToString(), quantity = 2 });
        var serials = (await batch.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonNode>())!["serials"]!.AsArray()
            .Select(x => (Id: Guid.Parse(x!["id"]!.GetValue<string>()), Number: x["serialNumber"]!.GetValue<string>())).ToList();
        foreach (var (_, number) in serials)
        {
            for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsync($"/api/serials/{number}/advance", null)).StatusCode);
        }

        var held = app.Hold(serials[0].Id);
        var first = Task.Run(() => operatorClient.PostAsync($"/api/serials/{serials[0].Number}/complete", null));
        await held.Reached;
        // On a thread of its own: SQLite waits for its write lock synchronously.
        var second = Task.Run(() => operatorClient.PostAsync($"/api/serials/{serials[1].Number}/complete", null));
        // Give the second every chance to pass its check while the first is held; the lock keeps it waiting.
        await Task.WhenAny(second, Task.Delay(TimeSpan.FromSeconds(2)));
        held.Release();
        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second).StatusCode);

        await using var db = app.RawDb();
        var text = part.Id.ToString();
        var events = await db.Set<OutboxMessage>().IgnoreQueryFilters().AsNoTracking().Where(m => m.Payload.Contains(text)).ToListAsync();
        var written = Assert.Single(events);
        Assert.Equal(("BATCH_COMPLETION", $"work order {orderNumber} completed"), (written.Name, written.Subject));
    }
}

/// <summary>A test app that can hold one serial's completion inside its transaction.</summary>
public interface IHeldCompletions
{
    HeldCompletion Hold(Guid serialId);
}

/// <summary>One completion to hold: <see cref="Reached"/> when it is inside its transaction, until <see cref="Release"/>.</summary>
public sealed class HeldCompletion(Guid serialId)
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Guid SerialId { get; } = serialId;
    public Task Reached => _reached.Task;
    public void Release() => _released.TrySetResult();

    internal Task HoldAsync()
    {
        _reached.TrySetResult();
        return _released.Task;
    }
}

/// <summary>
/// A step listener registered after the app's own (serialization's triggers), so it runs after their checks, in the
/// move's transaction, and holds the chosen serial's completion there.
/// </summary>
internal sealed class HoldingListener(HeldCompletions holds) : ISerialStepEvents
{
    public Task StepCompletedAsync(OperatorDb db, SerialStepCompleted step, CancellationToken ct = default) =>
        step.SerialCompleted && holds.Current is { } held && held.SerialId == step.SerialId ? held.HoldAsync() : Task.CompletedTask;
}

internal sealed class HeldCompletions
{
    public HeldCompletion? Current { get; set; }
}

public class HoldingFactory(DatabaseProvider provider) : OperatorFactory(provider), IHeldCompletions
{
    private readonly HeldCompletions _holds = new();

    public HeldCompletion Hold(Guid serialId) => _holds.Current = new HeldCompletion(serialId);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton(_holds).AddScoped<ISerialStepEvents, HoldingListener>());
    }
}

public sealed class SqliteHoldingFactory() : HoldingFactory(DatabaseProvider.Sqlite);

public sealed class PostgresHoldingFactory() : HoldingFactory(DatabaseProvider.Postgres);

public sealed class SqliteBatchCompletionRaceTests(SqliteHoldingFactory app) : BatchCompletionRaceTests<SqliteHoldingFactory>(app), IClassFixture<SqliteHoldingFactory>;

/// <summary>Needs the PostgreSQL server of OPERATOR_TEST_PG (test.sh starts one); fails loudly without it.</summary>
public sealed class PostgresBatchCompletionRaceTests(PostgresHoldingFactory app) : BatchCompletionRaceTests<PostgresHoldingFactory>(app), IClassFixture<PostgresHoldingFactory>;
