using Microsoft.Extensions.DependencyInjection;
using Operator.Features.MasterData;
using Operator.Features.Station;
using Operator.Tests.Features.Serials;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Station;

/// <summary>A fresh process path per test (no other test's units wait at its steps) and a station profile on it.</summary>
public static class StationKit
{
    public const string Cut = "CUT", Sew = "SEW", Pack = "PACK";

    /// <summary>A new MA01 path Cutting → Stitching → Packing; answers its id and code.</summary>
    public static async Task<(Guid Id, string Code)> NewPathAsync(OperatorFactory app, string org = "MA01")
    {
        var orgId = await app.OrganizationIdAsync(org);
        await using var db = app.RawDb();
        var code = $"ST{Guid.NewGuid():N}"[..10].ToUpperInvariant();
        var path = new ProcessPath { OrganizationId = orgId, Code = code, Name = $"Station test {code}" };
        db.Add(path);
        var names = new[] { (Cut, "Cutting"), (Sew, "Stitching"), (Pack, "Packing") };
        for (var i = 0; i < names.Length; i++)
        {
            db.Add(new ProcessStep { OrganizationId = orgId, PathId = path.Id, Sequence = i, Code = names[i].Item1, Name = names[i].Item2 });
        }
        await db.SaveChangesAsync();
        return (path.Id, code);
    }

    public static Task<Operator.Infrastructure.Api.Result<StationProfileDto>> CreateAsync(OperatorFactory app, SaveStationProfileRequest request, string as_ = DemoUsers.Admin) =>
        app.AsUserAsync(as_, sp => sp.GetRequiredService<StationProfileService>().CreateAsync(request));

    public static async Task<StationProfileDto> ProfileAsync(OperatorFactory app, Guid pathId, string stepCode, StationActions actions, string? name = null)
    {
        var created = await CreateAsync(app, new SaveStationProfileRequest(name ?? $"Station {Guid.NewGuid():N}"[..20], pathId, [stepCode], actions));
        Assert.True(created.IsSuccess, created.Error?.Message);
        return created.Value;
    }

    /// <summary>Serials created by the batch API on a new work order of <paramref name="pathCode"/>: they wait at its first step.</summary>
    public static async Task<(IReadOnlyList<string> Serials, Guid WorkOrderId)> UnitsAsync(OperatorFactory app, HttpClient client, string pathCode, int count)
    {
        var order = await SerialsKit.NewWorkOrderAsync(app, pathCode: pathCode);
        var body = await SerialsKit.BatchAsync(client, order.Id.ToString(), count);
        return (body["serials"]!.AsArray().Select(s => s!["serialNumber"]!.GetValue<string>()).ToList(), order.Id);
    }
}
