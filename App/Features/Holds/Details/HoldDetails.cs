using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;
using static Operator.Features.Holds.HoldRows;

namespace Operator.Features.Holds;

/// <summary>One hold as the detail page, <c>GET /{id}</c> and the PDF report show it: aging, items, plate changes and history.</summary>
public sealed class HoldDetails(IDbContextFactory<OperatorDb> factory, TimeProvider time, Operator.Infrastructure.Signatures.SignatureService signatures)
{
    public async Task<Result<HoldDetailDto>> GetAsync(string id, CancellationToken ct = default)
    {
        if (!Guid.TryParse(id, out var holdId)) return NotFound(id);
        await using var db = factory.CreateDbContext();
        var hold = await db.Set<QualityHold>().AsNoTracking().SingleOrDefaultAsync(h => h.Id == holdId, ct);
        if (hold is null) return NotFound(id);
        // The hold was found through the organization filter, so its items are reached by its id alone, and items and
        // history are ordered here: either way SQLite, even before its first analysis (SqliteStatistics), is left only the index that fits
        // (with the organization filter and ORDER BY it may walk all of the organization's items or audit entries).
        var items = (await db.Set<QualityHoldItem>().IgnoreQueryFilters().AsNoTracking().Where(i => i.HoldId == holdId).ToListAsync(ct))
            .OrderBy(i => i.Sequence).ToList();
        var entityId = holdId.ToString();
        var entries = (await db.AuditEntries.AsNoTracking()
            .Where(a => a.EntityType == HoldAudit.EntityType && a.EntityId == entityId)
            .Select(a => new { a.Sequence, a.Action, a.At, a.UserId, a.UserEmail, a.After }).ToListAsync(ct))
            .OrderBy(a => a.Sequence).ToList();

        var userIds = new HashSet<Guid> { hold.HeldById };
        if (hold.ReleasedById is { } r) userIds.Add(r);
        if (hold.DisposedById is { } d) userIds.Add(d);
        foreach (var e in entries) if (e.UserId is { } u) userIds.Add(u);
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => new HoldUserDto(u.Id, u.DisplayName, u.Email ?? ""), ct);
        HoldUserDto? Who(Guid? userId) => userId is { } x ? users.GetValueOrDefault(x) : null;

        var heldBy = Who(hold.HeldById) ?? new HoldUserDto(hold.HeldById, "", "");
        var dto = ToDto(hold, heldBy, Who(hold.ReleasedById));
        var (hours, aging) = HoldAging.Compute(hold.Priority, hold.HeldAt, hold.ReleasedAt ?? hold.DisposedAt, time.GetUtcNow().UtcDateTime);

        var changes = new List<LpStatusChangeDto>();
        foreach (var item in items.Where(i => i.ReferenceType == ReferenceTypes.LicensePlate && i.QaStatusBefore is not null))
        {
            changes.Add(new LpStatusChangeDto(item.ReferenceId, item.ReferenceDisplay, item.QaStatusBefore!, QaStatuses.Hold, HoldAudit.ActionCreated, hold.HeldAt, heldBy));
        }
        foreach (var item in items.Where(i => i.ReferenceType == ReferenceTypes.LicensePlate && i.QaStatusAfter is not null))
        {
            var released = hold.ReleasedAt is not null;
            changes.Add(new LpStatusChangeDto(item.ReferenceId, item.ReferenceDisplay, QaStatuses.Hold, item.QaStatusAfter!,
                released ? HoldAudit.ActionReleased : HoldAudit.ActionDisposed, (hold.ReleasedAt ?? hold.DisposedAt)!.Value, Who(released ? hold.ReleasedById : hold.DisposedById)));
        }

        var history = entries.Select(e => new HoldHistoryDto(e.Action, e.At,
            Who(e.UserId) ?? (e.UserEmail is { } mail ? new HoldUserDto(e.UserId ?? Guid.Empty, mail, mail) : null),
            Summarize(e.Action, e.After))).ToList();
        return new HoldDetailDto(dto, hours, aging, items.Select(ToDto).ToList(), changes, history, HoldItemDispositions.Differing(hold, items));
    }

    public Task<Result<HoldDetailDto>> GetAsync(Guid id, CancellationToken ct = default) => GetAsync(id.ToString(), ct);

    /// <summary>The PDF hold report: organization header, facts, items, history, release and disposition.</summary>
    public async Task<Result<HoldReportFile>> GetReportAsync(string id, CancellationToken ct = default)
    {
        var detail = await GetAsync(id, ct);
        if (!detail.IsSuccess) return detail.Error!;
        await using var db = factory.CreateDbContext();
        var organization = await db.Organizations.AsNoTracking().Where(o => o.Id == detail.Value.Hold.OrgId).Select(o => o.Name).SingleAsync(ct);
        var signed = await signatures.ForRecordAsync(HoldAudit.EntityType, detail.Value.Hold.Id.ToString(), ct);
        var bytes = HoldReport.Render(detail.Value, organization, time.GetUtcNow().UtcDateTime, signed);
        return new HoldReportFile($"{detail.Value.Hold.HoldNumber}.pdf", bytes);
    }

    /// <summary>A containment's line: its origin (as recorded: type, number, description) and how many units it held.</summary>
    private static string Contained(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("origin", out var origin) || origin.ValueKind != JsonValueKind.Object) return "Containment";
        string? Text(string name) => origin.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var units = root.TryGetProperty("units", out var u) && u.ValueKind == JsonValueKind.Number ? u.GetInt32() : 0;
        var type = (Text("type") ?? "origin").Replace('_', ' ');
        return $"Containment of {type} {Text("number")}{(Text("description") is { } d ? $" ({d})" : "")}: {units} unit(s) held";
    }

    /// <summary>One line for the history: what the entry's recorded values say happened.</summary>
    private static string Summarize(string action, string? after)
    {
        JsonElement root = default;
        if (after is not null)
        {
            try
            {
                root = JsonDocument.Parse(after).RootElement;
            }
            catch (JsonException)
            {
                // An entry whose values are not JSON still gets its action's words.
            }
        }
        string? Text(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        int Count(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.GetArrayLength() : 0;
        string Plates(string verb) => Count("lp_updates") switch
        {
            0 => "",
            1 => $"; 1 license plate {verb}",
            var n => $"; {n} license plates {verb}",
        };
        return action switch
        {
            HoldAudit.ActionCreated => $"Hold created with {Count("items")} item(s){Plates("put on hold")}",
            HoldAudit.ActionReleased => $"Released with disposition {Text("disposition")}{Plates("updated")}" + (Text("release_notes") is { } n ? $": {n}" : ""),
            HoldAudit.ActionDisposed => $"Disposed (archived){Plates("restored")}",
            HoldAudit.ActionContainment => Contained(root),
            _ => action,
        };
    }
}
