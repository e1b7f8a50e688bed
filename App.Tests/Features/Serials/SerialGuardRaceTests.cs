using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Serials;
using Operator.Infrastructure.Data;
using Operator.Tests.Features.Holds;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Serials;

/// <summary>
/// Every read a serial's write depends on happens inside that write's transaction (DESIGN rule 6), proven on PostgreSQL
/// by forcing the interleaving: <see cref="GateProbe"/> holds one operation right after its guard read while the other
/// one runs, then lets it go. Which one wins is not the point; the outcome must be one a serial order of the two explains.
/// The audit trail's sequence is the commit order (each entry draws it under the organization's counter lock).
/// </summary>
public sealed class SerialGuardRaceTests(GuardRaceFactory app) : IClassFixture<GuardRaceFactory>
{
    [Fact]
    public async Task A_hold_created_while_an_advance_is_past_its_hold_check_either_refuses_the_move_or_commits_after_it()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var order = await SerialsKit.NewWorkOrderAsync(app);
        var serial = (await SerialsKit.BatchAsync(client, order.Id.ToString(), 1))["serials"]![0]!["serialNumber"]!.GetValue<string>();
        var serialId = await SerialsKit.SerialIdAsync(app, serial);

        var gate = app.Probe.Arm("advance", serialId);
        var advance = SerialsKit.AdvanceAsync(client, serial);
        await gate.Reached;
        var hold = inspector.PostAsJsonAsync(HoldsKit.Path, HoldsKit.Body([HoldsKit.Wo(order.Id)]));
        await CompletedOrWaitingForALockAsync(hold);
        gate.Resume();
        var advanced = await advance;
        var held = await hold;

        Assert.Equal(HttpStatusCode.Created, held.StatusCode);
        var holdId = (await held.Content.ReadFromJsonAsync<JsonNode>())!["hold"]!["id"]!.GetValue<string>();
        var holdSequence = await SequenceAsync(holdId, "hold_created");
        if (advanced.StatusCode == HttpStatusCode.Conflict)
        {
            Assert.Contains("blocked by quality hold", await advanced.Content.ReadAsStringAsync());
            Assert.Equal(0, (await SerialsKit.GetAsync(client, serial))["currentStepIndex"]!.GetValue<int>());
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, advanced.StatusCode);
            var moveSequence = await SequenceAsync(serialId.ToString(), "serial_advanced");
            Assert.True(moveSequence < holdSequence, $"the unit moved (audit #{moveSequence}) after hold #{holdSequence} on its work order was committed");
        }
    }

    [Fact]
    public async Task A_hold_on_the_unit_itself_created_while_its_advance_is_past_its_hold_check_commits_after_the_move()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var serial = await SerialsKit.NewSerialAsync(app, client);
        var serialId = await SerialsKit.SerialIdAsync(app, serial);

        var gate = app.Probe.Arm("advance", serialId);
        var advance = SerialsKit.AdvanceAsync(client, serial);
        await gate.Reached;
        // The move has read no hold on the unit and holds the unit's row lock; the hold create must wait for it.
        var hold = inspector.PostAsJsonAsync(HoldsKit.Path, HoldsKit.Body([new { reference_type = "serial", reference_id = serial }]));
        await CompletedOrWaitingForALockAsync(hold);
        gate.Resume();
        var advanced = await advance;
        var held = await hold;

        Assert.Equal(HttpStatusCode.OK, advanced.StatusCode);
        Assert.Equal(HttpStatusCode.Created, held.StatusCode);
        var holdId = (await held.Content.ReadFromJsonAsync<JsonNode>())!["hold"]!["id"]!.GetValue<string>();
        var moveSequence = await SequenceAsync(serialId.ToString(), "serial_advanced");
        var holdSequence = await SequenceAsync(holdId, "hold_created");
        Assert.True(moveSequence < holdSequence, $"the unit moved (audit #{moveSequence}) after hold #{holdSequence} on it was committed");
        // Committed after the move, the hold stops the next one.
        Assert.Equal(HttpStatusCode.Conflict, (await SerialsKit.AdvanceAsync(client, serial)).StatusCode);
    }

    [Fact]
    public async Task An_attach_that_chose_the_step_before_an_advance_records_the_step_the_unit_is_at_when_it_commits()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var other = await app.ClientForAsync(DemoUsers.Operator);
        var userId = await SerialsKit.UserIdAsync(app, DemoUsers.Operator);
        var serial = await SerialsKit.NewSerialAsync(app, client);
        var serialId = await SerialsKit.SerialIdAsync(app, serial);

        var gate = app.Probe.Arm("attach", serialId);
        var attach = SerialsKit.AttachAsync(client, serial, "CERT-0001", userId);
        await gate.Reached;
        var advance = SerialsKit.AdvanceAsync(other, serial);
        await CompletedOrWaitingForALockAsync(advance);
        gate.Resume();
        var attached = await attach;
        var advanced = await advance;

        Assert.Equal(HttpStatusCode.OK, advanced.StatusCode);
        var attachSequence = await SequenceAsync(serialId.ToString(), "cert_attached");
        var moveSequence = await SequenceAsync(serialId.ToString(), "serial_advanced");
        if (attached.StatusCode == HttpStatusCode.OK)
        {
            // The step the unit was at when the attachment committed: the first step before the move, the second after it.
            var stepIndex = attachSequence < moveSequence ? 0 : 1;
            var detail = await SerialsKit.GetAsync(client, serial);
            var expectedStep = detail["steps"]![stepIndex]!["id"]!.GetValue<string>();
            var body = (await attached.Content.ReadFromJsonAsync<JsonNode>())!;
            Assert.Equal(expectedStep, body["stepId"]!.GetValue<string>());
            var record = Assert.Single(await SerialsKit.AttachmentsAsync(app, serial));
            Assert.Equal(expectedStep, record.StepId.ToString());
        }
        else
        {
            Assert.Equal(HttpStatusCode.Conflict, attached.StatusCode);
            Assert.Empty(await SerialsKit.AttachmentsAsync(app, serial));
        }
    }

    private async Task<long> SequenceAsync(string entityId, string action)
    {
        await using var db = app.RawDb();
        return await db.AuditEntries.IgnoreQueryFilters().Where(a => a.EntityId == entityId && a.Action == action).Select(a => a.Sequence).SingleAsync();
    }

    /// <summary>
    /// Returns once <paramref name="request"/> has finished or is waiting in PostgreSQL for a lock (held by the paused
    /// operation): the two states in which the paused operation may go on. Polls a state, asserts no time.
    /// </summary>
    private async Task CompletedOrWaitingForALockAsync(Task request)
    {
        using var cap = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!request.IsCompleted)
        {
            await using (var db = app.RawDb())
            {
                var waiting = await db.Database.SqlQueryRaw<int>(
                    "SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").SingleAsync(cap.Token);
                if (waiting > 0) return;
            }
            await Task.WhenAny(request, Task.Delay(20, cap.Token));
        }
    }
}

/// <summary>The PostgreSQL app with a <see cref="GateProbe"/> in place of the no-op probe.</summary>
public sealed class GuardRaceFactory() : OperatorFactory(DatabaseProvider.Postgres)
{
    public GateProbe Probe { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<ISerialGuardProbe>(Probe));
    }
}

/// <summary>Holds the one armed operation on one serial at its guard point until the test resumes it.</summary>
public sealed class GateProbe : ISerialGuardProbe
{
    private readonly Lock _gate = new();
    private Armed? _armed;

    public sealed class Armed(string operation, Guid serialId)
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _resume = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public string Operation { get; } = operation;
        public Guid SerialId { get; } = serialId;
        public Task Reached => _reached.Task.WaitAsync(TimeSpan.FromMinutes(2));
        public void Resume() => _resume.TrySetResult();
        internal Task HoldAsync(CancellationToken ct)
        {
            _reached.TrySetResult();
            return _resume.Task.WaitAsync(ct);
        }
    }

    public Armed Arm(string operation, Guid serialId)
    {
        var armed = new Armed(operation, serialId);
        lock (_gate) _armed = armed;
        return armed;
    }

    public Task GuardReadAsync(string operation, Guid serialId, CancellationToken ct)
    {
        Armed? hit;
        lock (_gate)
        {
            hit = _armed is { } a && a.Operation == operation && a.SerialId == serialId ? a : null;
            if (hit is not null) _armed = null;
        }
        return hit?.HoldAsync(ct) ?? Task.CompletedTask;
    }
}
