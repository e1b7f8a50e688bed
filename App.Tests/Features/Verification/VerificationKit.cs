using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Admin;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Infrastructure.Data;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Verification;

/// <summary>
/// The real app for public verification tests. The in-memory test server has no remote address, so requests may name
/// one in <see cref="RemoteHeader"/>; a startup filter of this test project (never of the app) copies it into
/// <c>HttpContext.Connection.RemoteIpAddress</c> before the app's pipeline runs. <see cref="TrustedProxy"/> is the one
/// configured reverse proxy. The rate limit is lifted here (other tests make many calls); <see cref="RateLimitedFactory"/>
/// keeps the app's default.
/// </summary>
public class VerificationFactory : OperatorFactory
{
    public const string RemoteHeader = "X-Test-Remote-Address";
    public const string TrustedProxy = "10.20.30.40";
    public const string PublicBaseUrl = "https://verify.example.test";

    public VerificationFactory() : this(DatabaseProvider.Sqlite)
    {
    }

    protected VerificationFactory(DatabaseProvider provider) : base(provider)
    {
    }

    /// <summary>Null: the app's default (the spec's 60).</summary>
    protected virtual int? RateLimitPerHour => 1_000_000;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (RateLimitPerHour is { } limit)
        {
            builder.UseSetting("Verification:RateLimitPerHour", limit.ToString(CultureInfo.InvariantCulture));
        }
        builder.UseSetting("Verification:TrustedProxies:0", TrustedProxy);
        builder.UseSetting("Verification:PublicBaseUrl", PublicBaseUrl);
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, RemoteAddressFromHeader>());
    }

    /// <summary>An anonymous client whose requests come from <paramref name="remote"/>.</summary>
    public HttpClient AnonymousFrom(string remote)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(RemoteHeader, remote);
        return client;
    }

    private sealed class RemoteAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[RemoteHeader].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

public sealed class PostgresVerificationFactory() : VerificationFactory(DatabaseProvider.Postgres);

/// <summary>The app with its default rate limit (nothing configured: 60 per hour).</summary>
public sealed class RateLimitedFactory : VerificationFactory
{
    protected override int? RateLimitPerHour => null;
}

/// <summary>Arranging verifiable serials the way the plant numbers them: <see cref="SerialNumbering"/> inside a transaction.</summary>
public static class VerificationKit
{
    public const string VerifyPath = "/api/public/serial/verify";

    /// <summary>A step of the unit's history: its name, the event and when.</summary>
    public sealed record Step(string Name, string Event, DateTime At, int Index = 0);

    /// <summary>
    /// A new serial of the part with <paramref name="sku"/> in <paramref name="org"/>, numbered by
    /// <see cref="SerialNumbering"/> (a signed public code for a verifiable part), on the part's process path, created and
    /// stepped by a real demo user so the rows hold user ids the answers must never show.
    /// </summary>
    public static async Task<(Guid Id, string Number)> NewSerialAsync(OperatorFactory app, string org = "MA01", string sku = "BAG",
        Action<Serial>? configure = null, IReadOnlyList<Step>? steps = null)
    {
        var orgId = await app.OrganizationIdAsync(org);
        await using var db = app.RawDb();
        await using var tx = await db.Database.BeginTransactionAsync();
        var part = await db.Set<Part>().IgnoreQueryFilters().SingleAsync(p => p.OrganizationId == orgId && p.Sku == sku);
        var path = await db.Set<ProcessPath>().IgnoreQueryFilters().Where(p => p.OrganizationId == orgId && p.PartId == part.Id).Select(p => (Guid?)p.Id).FirstOrDefaultAsync();
        var userId = await db.Users.Where(u => u.OrganizationId == orgId).OrderBy(u => u.Email).Select(u => u.Id).FirstAsync();
        var numbers = await app.Services.GetRequiredService<SerialNumbering>().NextAsync(db, part, 1);
        Assert.True(numbers.IsSuccess, numbers.Error?.Message);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var serial = new Serial
        {
            OrganizationId = orgId, SerialNumber = numbers.Value[0], PartId = part.Id, PathId = path, CreatedBy = userId,
            CreatedAt = now, UpdatedAt = now,
        };
        configure?.Invoke(serial);
        db.Add(serial);
        foreach (var step in steps ?? [])
        {
            db.Add(new SerialStepEvent
            {
                OrganizationId = orgId, SerialId = serial.Id, StepName = step.Name, Event = step.Event, At = step.At, StepIndex = step.Index,
                UserId = userId, Note = "Checked by a named operator",
            });
        }
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return (serial.Id, serial.SerialNumber);
    }

    /// <summary>A new work order of MA01's tote bag on its path, with no serials yet.</summary>
    public static async Task<(Guid Id, string Number)> NewWorkOrderAsync(OperatorFactory app, string org = "MA01", string sku = "BAG")
    {
        var orgId = await app.OrganizationIdAsync(org);
        await using var db = app.RawDb();
        var part = await db.Set<Part>().IgnoreQueryFilters().SingleAsync(p => p.OrganizationId == orgId && p.Sku == sku);
        var path = await db.Set<ProcessPath>().IgnoreQueryFilters().Where(p => p.OrganizationId == orgId).OrderBy(p => p.PartId == part.Id ? 0 : 1).ThenBy(p => p.Code).FirstAsync();
        var order = new WorkOrder
        {
            OrganizationId = orgId, Number = $"WO-V{Guid.NewGuid():N}".ToUpperInvariant()[..12], PartId = part.Id, PathId = path.Id, Quantity = 30,
            CreatedAt = DateTime.UtcNow,
        };
        db.Add(order);
        await db.SaveChangesAsync();
        return (order.Id, order.Number);
    }

    public static async Task SetPrivacyAsync(OperatorFactory app, string org, string privacy)
    {
        await using var db = app.RawDb();
        var row = await db.Organizations.SingleAsync(o => o.Code == org);
        row.VerificationPrivacy = privacy;
        await db.SaveChangesAsync();
    }

    public static async Task UpdateSerialAsync(OperatorFactory app, Guid id, Action<Serial> change)
    {
        await using var db = app.RawDb();
        var serial = await db.Set<Serial>().IgnoreQueryFilters().SingleAsync(s => s.Id == id);
        change(serial);
        await db.SaveChangesAsync();
    }

    /// <summary>A verifiable part in AC01 (whose demo parts are not): OEM, for the minimal privacy mode.</summary>
    public static async Task<string> EnsureVerifiableAc01PartAsync(OperatorFactory app)
    {
        const string sku = "VLVPUB";
        var orgId = await app.OrganizationIdAsync("AC01");
        await using var db = app.RawDb();
        if (!await db.Set<Part>().IgnoreQueryFilters().AnyAsync(p => p.OrganizationId == orgId && p.Sku == sku))
        {
            db.Add(new Part
            {
                OrganizationId = orgId, Number = "V-PUB", Sku = sku, Name = "Verifiable valve", ProductionType = "OEM", PubliclyVerifiable = true,
                CreatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        }
        return sku;
    }

    /// <summary>Replaces one character of the signature so the check character is recomputed (a well-typed forgery).</summary>
    public static string Forge(string code)
    {
        var parts = code.Split('-');
        var signature = parts[5].ToCharArray();
        signature[0] = signature[0] == 'Z' ? 'Y' : 'Z';
        var payload = string.Join('-', parts[..5]) + "-" + new string(signature);
        return $"{payload}-{Operator.Features.Verification.Iso7064Mod37_36.Compute(payload)}";
    }

    /// <summary>Changes the check character only: a typing mistake.</summary>
    public static string BreakChecksum(string code) => code[..^1] + (code[^1] == '0' ? '1' : '0');
}
