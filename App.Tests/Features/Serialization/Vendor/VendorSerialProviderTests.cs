using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Operator.Features.Serialization;
using Operator.Infrastructure.Data;
using Operator.Tests.Support;
using static Operator.Tests.Features.Serialization.WorkflowKit;

namespace Operator.Tests.Features.Serialization;

/// <summary>
/// Vendor serials are unique per part and vendor, on SQLite and PostgreSQL: the same number from two vendors of one
/// part is two records (the database index agrees), and the uniqueness guard still decides which one becomes a unit.
/// </summary>
public abstract class VendorSerialProviderTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    [Fact]
    public async Task The_same_number_from_two_vendors_of_one_part_is_two_records_and_the_guard_decides_at_accept()
    {
        var part = await NewPartAsync(app);
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var acme = await ReceiveAsync(manager, part.Id, "VS-TWO", "Acme Corp");
        var globex = await ReceiveAsync(manager, part.Id, "VS-TWO", "Globex");
        Assert.NotEqual(acme, globex);

        var again = await FailsAsync(await manager.PostAsJsonAsync($"{Base}/vendor/receive", new { vendorSerialNumber = "VS-TWO", vendorName = "Globex", partId = part.Id }),
            HttpStatusCode.Conflict, "CONFLICT");
        Assert.Equal($"Vendor serial number VS-TWO from Globex is already registered for part {part.Number}", again["message"]!.GetValue<string>());

        await OkAsync(await manager.PostSignedAsync($"{Base}/vendor/{acme}/accept", null));
        var refused = await FailsAsync(await manager.PostSignedAsync($"{Base}/vendor/{globex}/accept", null), HttpStatusCode.Conflict, "CONFLICT");
        Assert.Contains("VS-TWO", refused["message"]!.GetValue<string>());
        Assert.Equal("PENDING", (await OkAsync(await manager.GetAsync($"{Base}/vendor/{globex}")))["status"]!.GetValue<string>());
        Assert.Single(await SerialsOfPartAsync(app, part.Id));
    }

    [Fact]
    public async Task The_database_index_is_per_part_vendor_and_number()
    {
        var part = await NewPartAsync(app);
        await using var db = app.RawDb();
        var org = await app.OrganizationIdAsync("MA01");
        VendorSerial Row(string vendor) => new()
        {
            OrganizationId = org, PartId = part.Id, VendorSerialNumber = "VS-IDX", VendorName = vendor,
            ReceivedAt = DateTime.UtcNow, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
        };
        db.AddRange(Row("Acme Corp"), Row("Globex"));
        await db.SaveChangesAsync();

        await using var second = app.RawDb();
        second.Add(Row("Globex"));
        var refused = await Assert.ThrowsAsync<DbUpdateException>(() => second.SaveChangesAsync());
        Assert.True(refused.IsUniqueViolation());
    }
}

public sealed class SqliteVendorSerialProviderTests(OperatorFactory app) : VendorSerialProviderTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

/// <summary>Needs the PostgreSQL server of OPERATOR_TEST_PG (test.sh starts one); fails loudly without it.</summary>
public sealed class PostgresVendorSerialProviderTests(PostgresOperatorFactory app) : VendorSerialProviderTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;
