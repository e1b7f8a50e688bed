using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Find;
using Operator.Features.Serialization;
using Operator.Features.Serials;
using Operator.Infrastructure.Api;
using Operator.Tests.Features.Serialization;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Find;

/// <summary>Arranging numbers of every kind (fresh ones, so tests sharing a database stay independent) and asking FindService.</summary>
public static class FindKit
{
    public static string Tag() => Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    public static Task<Result<FindResultDto>> FindAsync(OperatorFactory app, string? query, string user = DemoUsers.Viewer) =>
        app.AsUserAsync(user, sp => sp.GetRequiredService<FindService>().FindAsync(new FindRequest(query)));

    public static async Task<FindResultDto> OkAsync(OperatorFactory app, string? query, string user = DemoUsers.Viewer)
    {
        var result = await FindAsync(app, query, user);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }

    public static async Task<(Guid Id, string Number)> CertificateAsync(OperatorFactory app, string number, string org = "MA01")
    {
        var orgId = await app.OrganizationIdAsync(org);
        await using var db = app.RawDb();
        var certificate = new Certificate
        {
            OrganizationId = orgId, Number = number, Type = CertificateTypes.Material, Issuer = "Acme Mill", IssuedAt = DateTime.UtcNow, CreatedAt = DateTime.UtcNow,
        };
        db.Add(certificate);
        await db.SaveChangesAsync();
        return (certificate.Id, certificate.Number);
    }

    public static async Task<Guid> VendorSerialAsync(OperatorFactory app, string number, string vendor = "Tannery Co", string org = "MA01",
        string status = VendorSerialStatus.Pending, Guid? unit = null)
    {
        var orgId = await app.OrganizationIdAsync(org);
        var part = await LineageKit.PartIdAsync(app, 0, org);
        await using var db = app.RawDb();
        var row = new VendorSerial
        {
            OrganizationId = orgId, VendorSerialNumber = number, VendorName = vendor, PartId = part, Status = status, InternalSerialId = unit,
            ReceivedAt = DateTime.UtcNow, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
        };
        db.Add(row);
        await db.SaveChangesAsync();
        return row.Id;
    }

    /// <summary>Moves a row's number to another spelling (numbers are not edited through the app; tests need lower-case ones).</summary>
    public static async Task RenumberPlateAsync(OperatorFactory app, Guid id, string number)
    {
        await using var db = app.RawDb();
        await db.Set<Operator.Features.MasterData.LicensePlate>().IgnoreQueryFilters().Where(p => p.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Number, number));
    }

    public static IReadOnlyList<(string Kind, string Number)> Kinds(FindResultDto result) => result.Matches.Select(m => (m.Kind, m.Number)).ToList();
}
