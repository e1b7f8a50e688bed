using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Operator.Features.Find;
using Operator.Features.Serialization;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;
using Operator.Tests.Features.Holds;
using Operator.Tests.Support;
using static Operator.Tests.Features.Find.FindKit;
using static Operator.Tests.Features.Serialization.LineageKit;

namespace Operator.Tests.Features.Find;

/// <summary>
/// FindService on both databases: every kind by its exact number, by the number in another case, several records with one
/// number, another organization's numbers, and the query plans (an index lookup per kind, never a scan).
/// </summary>
public abstract class FindServiceTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    private async Task<Dictionary<string, (Guid Id, string Number)>> OneOfEachAsync(string org = "MA01")
    {
        var tag = Tag();
        var plate = await HoldsKit.NewPlateAsync(app, org);
        var order = await HoldsKit.NewWorkOrderAsync(app, org);
        var batch = await HoldsKit.NewBatchAsync(app, org);
        var certificate = await CertificateAsync(app, $"CERT-{tag}", org);
        var unit = await UnitAsync(app, $"SN-F{tag}", org: org);
        var vendor = await VendorSerialAsync(app, $"VS-{tag}", org: org);
        var admin = await app.ClientForAsync(org == "MA01" ? DemoUsers.Inspector : DemoUsers.OtherAdmin);
        var hold = await HoldsKit.CreateAsync(app, admin, items: [HoldsKit.Lp((await HoldsKit.NewPlateAsync(app, org)).Id)]);
        return new()
        {
            [FindKinds.LicensePlate] = plate,
            [FindKinds.WorkOrder] = order,
            [FindKinds.Batch] = batch,
            [FindKinds.Certificate] = certificate,
            [FindKinds.Serial] = (unit, $"SN-F{tag}"),
            [FindKinds.VendorSerial] = (vendor, $"VS-{tag}"),
            [FindKinds.Hold] = (Guid.Parse(HoldsKit.Id(hold)), hold["hold"]!["hold_number"]!.GetValue<string>()),
        };
    }

    private static string ExpectedUrl(string kind, Guid id, string number) => kind switch
    {
        FindKinds.LicensePlate => $"/license-plates/{number}",
        FindKinds.WorkOrder => $"/work-orders/{id}",
        FindKinds.Batch => $"/batches/{number}",
        FindKinds.Certificate => $"/certificates/{id}",
        FindKinds.Serial => $"/serials/{number}",
        FindKinds.Hold => $"/holds/{id}",
        _ => "",
    };

    [Fact]
    public async Task Every_kind_is_found_by_its_exact_number_with_its_page()
    {
        var records = await OneOfEachAsync();
        foreach (var (kind, (id, number)) in records)
        {
            var found = await OkAsync(app, $"  {number} ");
            var match = Assert.Single(found.Matches);
            Assert.Equal((kind, id, number, true), (match.Kind, match.Id, match.Number, match.Exact));
            Assert.False(string.IsNullOrWhiteSpace(match.Description));
            if (kind == FindKinds.VendorSerial) Assert.StartsWith("/serialization/vendor?partId=", match.Url);
            else Assert.Equal(ExpectedUrl(kind, id, number), match.Url);
            Assert.Equal(number, found.Query);
        }
    }

    [Fact]
    public async Task Numbers_are_found_in_lower_case_and_a_public_code_is_normalized()
    {
        foreach (var (kind, (id, number)) in await OneOfEachAsync())
        {
            var match = Assert.Single((await OkAsync(app, number.ToLowerInvariant())).Matches);
            Assert.Equal((kind, id, false), (match.Kind, match.Id, match.Exact));
        }

        var code = $"MA01-HAT-F{Tag()}-20251109-00027-A9K2-X";
        var unit = await UnitAsync(app, code);
        var found = Assert.Single((await OkAsync(app, $" {code.ToLowerInvariant()}\t")).Matches);
        Assert.Equal((FindKinds.Serial, unit, code), (found.Kind, found.Id, found.Number));
        Assert.Contains("public code", found.Description);
    }

    [Fact]
    public async Task Several_records_with_one_number_are_listed_those_spelled_as_typed_first()
    {
        var number = $"MIX-{Tag()}";
        var plate = await HoldsKit.NewPlateAsync(app);
        await RenumberPlateAsync(app, plate.Id, number.ToLowerInvariant());
        var batch = await HoldsKit.NewBatchAsync(app);
        await using (var db = app.RawDb())
        {
            await db.Set<Operator.Features.MasterData.Batch>().IgnoreQueryFilters().Where(b => b.Id == batch.Id).ExecuteUpdateAsync(s => s.SetProperty(b => b.Number, number));
        }
        var certificate = await CertificateAsync(app, number);
        var twins = await UnitsAsync(app, 2, _ => number);

        var lower = await OkAsync(app, number.ToLowerInvariant());
        Assert.Equal(
            [(FindKinds.LicensePlate, number.ToLowerInvariant(), true), (FindKinds.Serial, number, false), (FindKinds.Serial, number, false),
                (FindKinds.Batch, number, false), (FindKinds.Certificate, number, false)],
            lower.Matches.Select(m => (m.Kind, m.Number, m.Exact)));
        // Two units with one number (an open uniqueness conflict): each is addressed by its id.
        Assert.Equal(twins.Select(t => $"/serials/{t}").Order(), lower.Matches.Where(m => m.Kind == FindKinds.Serial).Select(m => m.Url).Order());
        Assert.All(lower.Matches.Where(m => m.Kind == FindKinds.Serial), m => Assert.Contains("uniqueness conflict", m.Description));

        // In upper case only the upper-case numbers match.
        Assert.Equal([FindKinds.Serial, FindKinds.Serial, FindKinds.Batch, FindKinds.Certificate], (await OkAsync(app, number)).Matches.Select(m => m.Kind));
        Assert.Equal(certificate.Id, (await OkAsync(app, number)).Matches[^1].Id);
    }

    [Fact]
    public async Task Another_organizations_numbers_are_not_found()
    {
        var theirs = await OneOfEachAsync("AC01");
        foreach (var (kind, (id, number)) in theirs)
        {
            // Hold numbers are counted per organization: ours may have one with the same number, never theirs.
            Assert.DoesNotContain((await OkAsync(app, number)).Matches, m => m.Id == id);
            if (kind != FindKinds.Hold) Assert.Empty((await OkAsync(app, number)).Matches);
            Assert.Empty((await OkAsync(app, id.ToString())).Matches);
            var own = Assert.Single((await OkAsync(app, number, DemoUsers.OtherAdmin)).Matches);
            Assert.Equal((kind, id), (own.Kind, own.Id));
        }
    }

    [Fact]
    public async Task A_uuid_finds_the_record_by_its_id()
    {
        foreach (var (kind, (id, number)) in await OneOfEachAsync())
        {
            var match = Assert.Single((await OkAsync(app, id.ToString().ToUpperInvariant())).Matches);
            Assert.Equal((kind, number, true), (match.Kind, match.Number, match.Exact));
        }
    }

    [Fact]
    public async Task An_accepted_vendor_number_is_listed_once_as_its_unit()
    {
        var number = $"VA-{Tag()}";
        var unit = await UnitAsync(app, number);
        await VendorSerialAsync(app, number, vendor: "Accepted Vendor", status: VendorSerialStatus.Accepted, unit: unit);
        var other = await VendorSerialAsync(app, number, vendor: "Other Vendor");

        var found = await OkAsync(app, number);
        Assert.Equal([(FindKinds.Serial, unit), (FindKinds.VendorSerial, other)], found.Matches.Select(m => (m.Kind, m.Id)));

        // Accepted under an internal number: the vendor number leads to the unit.
        var internalNumber = $"VI-{Tag()}";
        var renamed = await UnitAsync(app, internalNumber);
        var vendorNumber = $"VB-{Tag()}";
        await VendorSerialAsync(app, vendorNumber, status: VendorSerialStatus.Accepted, unit: renamed);
        var match = Assert.Single((await OkAsync(app, vendorNumber)).Matches);
        Assert.Equal((FindKinds.VendorSerial, $"/serials/{internalNumber}"), (match.Kind, match.Url));
        Assert.Contains($"accepted as unit {internalNumber}", match.Description);
    }

    [Theory]
    [InlineData(null, "Type or scan a number to find")]
    [InlineData("   ", "Type or scan a number to find")]
    [InlineData("LP-\u00001", "A number must not contain control characters")]
    public async Task Bad_queries_are_refused_in_words(string? query, string message)
    {
        var result = await FindAsync(app, query);
        Assert.Equal((ErrorKind.Validation, message, "q"), (result.Error!.Kind, result.Error.Message, result.Error.Issues.Single().Field));
        var tooLong = await FindAsync(app, new string('A', FindService.MaxQueryLength + 1));
        Assert.Equal("A number is at most 200 characters", tooLong.Error!.Message);
        Assert.True((await FindAsync(app, new string('A', FindService.MaxQueryLength))).IsSuccess);
    }

    /// <summary>
    /// The statements FindService runs, explained by the database: every table is reached through an index (PostgreSQL with
    /// sequential scans switched off, so a missing index shows as one), and each kind's number is a condition of its index.
    /// </summary>
    [Fact]
    public async Task Every_lookup_is_an_index_search_on_the_number_never_a_scan()
    {
        var tag = Tag();
        using var capture = new CommandCapture(tag);
        await OkAsync(app, $"plan-{tag}");
        Assert.Equal(7, capture.Commands.Count);

        await using var db = app.RawDb();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        var postgres = app.Provider == DatabaseProvider.Postgres;
        if (postgres)
        {
            // Statistics as autovacuum keeps them: an unanalyzed table looks empty, and for an empty table a scan of the
            // organization's rows costs the same as a search on the number.
            await db.Database.ExecuteSqlRawAsync("ANALYZE");
            await db.Database.ExecuteSqlRawAsync("SET enable_seqscan = off");
        }
        else
        {
            // Statistics as the app keeps them (SqliteStatistics analyzes at start and then periodically): without this,
            // the plan depended on whether the app's first analysis ran before or after the other tests' rows were in.
            await SqliteStatistics.AnalyzeAsync(db, CancellationToken.None);
        }
        foreach (var (sql, parameters) in capture.Commands)
        {
            await using var explain = connection.CreateCommand();
            explain.CommandText = (postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + sql;
            foreach (var (name, value, type) in parameters)
            {
                var p = explain.CreateParameter();
                (p.ParameterName, p.Value, p.DbType) = (name, value ?? DBNull.Value, type);
                explain.Parameters.Add(p);
            }
            var lines = new List<string>();
            await using (var reader = await explain.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync()) lines.Add(reader.GetString(postgres ? 0 : 3));
            }
            var plan = string.Join("\n", lines);
            var why = sql + "\n" + plan;
            if (postgres)
            {
                Assert.False(plan.Contains("Seq Scan"), why);
                Assert.True(lines.Any(l => l.Contains("Index Cond") && l.Contains("Number\"")), why);
            }
            else
            {
                // A SCAN of a subquery's rows (a co-routine EF's paging makes) reads no table; a SCAN of a table would.
                var subqueries = lines.Select(l => l.Trim()).Where(l => l.StartsWith("CO-ROUTINE ", StringComparison.Ordinal) || l.StartsWith("MATERIALIZE ", StringComparison.Ordinal))
                    .Select(l => l.Split(' ')[1]).ToHashSet();
                Assert.False(lines.Select(l => l.Trim()).Any(l => l.StartsWith("SCAN ", StringComparison.Ordinal) && !subqueries.Contains(l.Split(' ')[1])), why);
                Assert.True(lines.Any(l => l.Contains("Number=?")), why);
            }
        }
    }

    /// <summary>EF's commands whose parameters carry the marker, as they were sent (text and parameters).</summary>
    private sealed class CommandCapture : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly string _marker;
        private readonly List<IDisposable> _subscriptions = [];

        public CommandCapture(string marker)
        {
            _marker = marker;
            _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
        }

        public List<(string Sql, List<(string Name, object? Value, System.Data.DbType Type)> Parameters)> Commands { get; } = [];

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name) lock (_subscriptions) _subscriptions.Add(listener.Subscribe(this));
        }

        public void OnNext(KeyValuePair<string, object?> e)
        {
            if (e.Key != RelationalEventId.CommandExecuting.Name || e.Value is not CommandEventData data) return;
            var parameters = data.Command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value, p.DbType)).ToList();
            bool Marked(object? value) => value switch
            {
                string s => s.Contains(_marker, StringComparison.OrdinalIgnoreCase),
                IEnumerable<string> list => list.Any(Marked),
                _ => false,
            };
            if (!parameters.Any(p => Marked(p.Value))) return;
            lock (Commands) Commands.Add((data.Command.CommandText, parameters));
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            lock (_subscriptions) _subscriptions.ForEach(s => s.Dispose());
        }
    }
}

public sealed class SqliteFindServiceTests(OperatorFactory app) : FindServiceTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

public sealed class PostgresFindServiceTests(PostgresOperatorFactory app) : FindServiceTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;
