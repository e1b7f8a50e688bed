using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;

namespace Operator.Features.Serials;

/// <summary>
/// One unit as <c>GET /api/serials/{id}</c>, the station's scan and the serial page show it, addressed by serial number or
/// UUID as <see cref="SerialLookup"/> says (read by <see cref="SerialUnitRead"/>).
/// </summary>
public sealed class SerialDetailService(IDbContextFactory<OperatorDb> factory, SerialUnitRead units)
{
    /// <summary>The unit as the station and the serial page show it: path progress, certificates per step, blocking holds, history.</summary>
    public async Task<Result<SerialDetailDto>> GetAsync(string id, CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        var detail = SerialLookup.Addressing(id) is { } by ? await units.ReadAsync(db, by.Form, by.Term, by.Upper, by.Uuid, ct) : null;
        return detail is null ? SerialService.SerialNotFound(id) : detail;
    }
}
