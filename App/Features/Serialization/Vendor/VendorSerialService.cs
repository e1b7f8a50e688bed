using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Features.Reports;
using Operator.Features.Serials;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Signatures;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.Serialization;

/// <summary>The spec's 1.1 answer.</summary>
public sealed record VendorSerialReceivedDto(Guid Id, string VendorSerialNumber, string VendorName, Guid PartId, string Status, DateTime ReceivedAt);

/// <summary>
/// The spec's 1.2 answer. <c>internalSerialId</c> is the number the unit carries inside the plant (the request's
/// internalSerialId, else the vendor's number); <c>serialId</c> is the id of the serial that was created.
/// </summary>
public sealed record VendorSerialAcceptedDto(Guid Id, string Status, string InternalSerialId, DateTime AcceptedAt, Guid SerialId);

/// <summary>The spec's 1.3 answer.</summary>
public sealed record VendorSerialRejectedDto(Guid Id, string Status, string RejectionReason, DateTime RejectedAt);

/// <summary>The spec's 1.4 object (its fields first), then the rest of the record.</summary>
public sealed record VendorSerialDto(
    Guid Id, string VendorSerialNumber, string VendorName, string Status, DateTime CreatedAt, DateTime UpdatedAt,
    Guid PartId, DateTime ReceivedAt, string? InternalSerialId, Guid? SerialId, DateTime? AcceptedAt, string? RejectionReason, DateTime? RejectedAt);

/// <summary>A row of the vendor serials page: the vendor serial with its part's number.</summary>
public sealed record VendorSerialListItem(VendorSerialDto Serial, string PartNumber);

/// <summary>
/// Vendor serials (spec section 1). Received PENDING; then either accepted (QA_MANAGER, ADMIN: it becomes an ordinary
/// <see cref="Serial"/> of origin <c>vendor</c> whose number is <c>internalSerialId</c> when given, else the vendor's
/// number, after the uniqueness guard) or rejected with a reason. Only a PENDING vendor serial can be accepted or
/// rejected (409 otherwise). A vendor number already received from the same vendor for the part is a 409 conflict, also under a race
/// (unique index). The state change is a conditional update, so two concurrent decisions give one winner.
/// The body's acceptedBy/rejectedBy are accepted but the audit trail records the signed-in caller.
/// </summary>
public sealed class VendorSerialService(
    IDbContextFactory<OperatorDb> factory, AuditTrail audit, TimeProvider time, ICurrentUser caller, SerialUniquenessGuard guard, SignatureService signatures)
{
    public const string AuditType = "vendor_serial";

    public bool CanReceive => Policies.Allows(Policies.StationWork, caller.Role);
    public bool CanDecide => Policies.Allows(Policies.QualityManage, caller.Role);

    // ---------------------------------------------------------------- receive

    public async Task<Result<VendorSerialReceivedDto>> ReceiveAsync(ReceiveVendorSerialRequest request, CancellationToken ct = default)
    {
        if (!CanReceive) return WorkflowErrors.Forbidden();
        var checks = new Checks();
        var (number, vendor, partId) = request.Check(checks);
        var received = request.ReceivedDate;
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);

        var now = time.GetUtcNow().UtcDateTime;
        if (received > now.AddMinutes(5))
        {
            return WorkflowErrors.Invalid("receivedDate", "receivedDate cannot be in the future");
        }
        await using var db = factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var part = await db.Set<Part>().AsNoTracking().Where(p => p.Id == partId).Select(p => new { p.Id, p.Number }).SingleOrDefaultAsync(ct);
        if (part is null) return WorkflowErrors.NotFound("Part", partId.ToString());
        if (await db.Set<VendorSerial>().AnyAsync(v => v.PartId == part.Id && v.VendorName == vendor && v.VendorSerialNumber == number, ct))
        {
            return Duplicate(number!, vendor!, part.Number);
        }
        var row = new VendorSerial
        {
            VendorSerialNumber = number!, VendorName = vendor!, PartId = part.Id, Status = VendorSerialStatus.Pending,
            ReceivedAt = received ?? now, CreatedAt = now, UpdatedAt = now,
        };
        db.Add(row);
        var dto = new VendorSerialReceivedDto(row.Id, row.VendorSerialNumber, row.VendorName, row.PartId, row.Status, row.ReceivedAt);
        await audit.AppendAsync(db, "vendor_serial_received", AuditType, row.Id.ToString(), after: dto, ct: ct);
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return Duplicate(number!, vendor!, part.Number);
        }
        return dto;
    }

    private static Error Duplicate(string number, string vendor, string part) =>
        Error.Conflict($"Vendor serial number {number} from {vendor} is already registered for part {part}");

    // ---------------------------------------------------------------- accept / reject

    public Task<Result<VendorSerialAcceptedDto>> AcceptAsync(Guid id, AcceptVendorSerialRequest request, CancellationToken ct = default) =>
        AcceptAsync(id.ToString(), request, ct);

    public async Task<Result<VendorSerialAcceptedDto>> AcceptAsync(string id, AcceptVendorSerialRequest request, CancellationToken ct = default)
    {
        if (!CanDecide) return WorkflowErrors.Forbidden();
        var parsed = WorkflowErrors.ParseId(id, "VendorSerial");
        if (!parsed.IsSuccess) return parsed.Error!;
        var checks = new Checks();
        var internalNumber = request.Check(checks);
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);
        // A signed decision: the password is checked before the transaction (a failed access is written beside it).
        var signer = await signatures.AuthenticateAsync(request.Signature, rejection: false, WorkflowErrors.InvalidInput, ct);
        if (!signer.IsSuccess) return signer.Error!;

        var now = ElectronicSignature.Truncate(time.GetUtcNow().UtcDateTime);
        await using var db = factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var vendorId = parsed.Value;
        var won = await ClaimAsync(db, vendorId, VendorSerialStatus.Accepted, now, ct);
        if (!won) return await RefusalAsync(db, id, vendorId, "accepted", ct);
        var row = await db.Set<VendorSerial>().SingleAsync(v => v.Id == vendorId, ct);
        var part = await db.Set<Part>().AsNoTracking().SingleAsync(p => p.Id == row.PartId, ct);

        var number = internalNumber ?? row.VendorSerialNumber;
        var unique = await guard.EnsureUniqueAsync(db, number, part.Id, null, ct);
        if (!unique.IsSuccess) return unique.Error!;
        var serial = new Serial
        {
            SerialNumber = number, PartId = part.Id, OrganizationId = part.OrganizationId, Status = SerialStatus.InProgress,
            Origin = SerialOrigins.Vendor, Scope = SerialScopes.Piece, CurrentStepIndex = 0, CreatedBy = caller.UserId, CreatedAt = now, UpdatedAt = now,
        };
        db.Add(serial);
        await SerialDayTallies.AddAsync(db, serial, ct);
        row.InternalSerialId = serial.Id;
        row.AcceptedBy = caller.UserId;
        row.AcceptedAt = now;
        row.UpdatedAt = now;
        var signature = Sign(db, signer.Value, row, VendorSerialSignatures.ActionAccepted, now);
        await audit.AppendAsync(db, VendorSerialSignatures.ActionAccepted, AuditType, row.Id.ToString(),
            before: new { status = VendorSerialStatus.Pending },
            after: new { status = VendorSerialStatus.Accepted, row.VendorSerialNumber, internalSerialId = number, serialId = serial.Id, signatureId = signature?.Id }, ct: ct);
        await audit.AppendAsync(db, "serial_created", "serial", serial.Id.ToString(),
            after: new { serial.SerialNumber, serial.PartId, serial.Origin, vendorSerialId = row.Id, row.VendorName }, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new VendorSerialAcceptedDto(row.Id, VendorSerialStatus.Accepted, number, now, serial.Id);
    }

    public Task<Result<VendorSerialRejectedDto>> RejectAsync(Guid id, RejectVendorSerialRequest request, CancellationToken ct = default) =>
        RejectAsync(id.ToString(), request, ct);

    public async Task<Result<VendorSerialRejectedDto>> RejectAsync(string id, RejectVendorSerialRequest request, CancellationToken ct = default)
    {
        if (!CanDecide) return WorkflowErrors.Forbidden();
        var parsed = WorkflowErrors.ParseId(id, "VendorSerial");
        if (!parsed.IsSuccess) return parsed.Error!;
        var checks = new Checks();
        var reason = request.Check(checks);
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);
        var signer = await signatures.AuthenticateAsync(request.Signature, rejection: true, WorkflowErrors.InvalidInput, ct);
        if (!signer.IsSuccess) return signer.Error!;

        var now = ElectronicSignature.Truncate(time.GetUtcNow().UtcDateTime);
        await using var db = factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var vendorId = parsed.Value;
        var won = await ClaimAsync(db, vendorId, VendorSerialStatus.Rejected, now, ct);
        if (!won) return await RefusalAsync(db, id, vendorId, "rejected", ct);
        var row = await db.Set<VendorSerial>().SingleAsync(v => v.Id == vendorId, ct);
        row.RejectionReason = reason;
        row.RejectedBy = caller.UserId;
        row.RejectedAt = now;
        row.UpdatedAt = now;
        var signature = Sign(db, signer.Value, row, VendorSerialSignatures.ActionRejected, now);
        await audit.AppendAsync(db, VendorSerialSignatures.ActionRejected, AuditType, row.Id.ToString(),
            before: new { status = VendorSerialStatus.Pending },
            after: new { status = VendorSerialStatus.Rejected, row.VendorSerialNumber, rejectionReason = reason, signatureId = signature?.Id }, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new VendorSerialRejectedDto(row.Id, VendorSerialStatus.Rejected, reason!, now);
    }

    private ElectronicSignature? Sign(OperatorDb db, Signer? signer, VendorSerial row, string action, DateTime now) =>
        signer is null ? null : signatures.Record(db, signer, AuditType, row.Id.ToString(), action, VendorSerialSignatures.Content(row, action), now);

    /// <summary>
    /// PENDING → <paramref name="status"/> as one conditional UPDATE: it takes the row's lock, so of two concurrent
    /// decisions the second sees the new status and loses.
    /// </summary>
    private static async Task<bool> ClaimAsync(OperatorDb db, Guid id, string status, DateTime now, CancellationToken ct) =>
        await db.Set<VendorSerial>().Where(v => v.Id == id && v.Status == VendorSerialStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.Status, status).SetProperty(v => v.UpdatedAt, now), ct) == 1;

    private static async Task<Error> RefusalAsync(OperatorDb db, string rawId, Guid id, string verb, CancellationToken ct)
    {
        var status = await db.Set<VendorSerial>().Where(v => v.Id == id).Select(v => v.Status).SingleOrDefaultAsync(ct);
        return status is null
            ? WorkflowErrors.NotFound("VendorSerial", rawId)
            : Error.Conflict($"Vendor serial is {status}: only a PENDING vendor serial can be {verb}");
    }

    // ---------------------------------------------------------------- reads

    public async Task<Result<VendorSerialDto>> GetAsync(string id, CancellationToken ct = default)
    {
        var parsed = WorkflowErrors.ParseId(id, "VendorSerial");
        if (!parsed.IsSuccess) return parsed.Error!;
        await using var db = factory.CreateDbContext();
        var vid = parsed.Value;
        var row = await db.Set<VendorSerial>().AsNoTracking().SingleOrDefaultAsync(v => v.Id == vid, ct);
        if (row is null) return WorkflowErrors.NotFound("VendorSerial", id);
        return (await ToDtosAsync(db, [row], ct))[0];
    }

    public async Task<Result<WorkflowPage<VendorSerialDto>>> ListAsync(string partId, VendorSerialListQuery query, CancellationToken ct = default)
    {
        var parsed = WorkflowErrors.ParseId(partId, "Part");
        if (!parsed.IsSuccess) return parsed.Error!;
        var checks = new Checks();
        query.Check(checks);
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);

        await using var db = factory.CreateDbContext();
        var pid = parsed.Value;
        if (!await db.Set<Part>().AnyAsync(p => p.Id == pid, ct)) return WorkflowErrors.NotFound("Part", partId);
        var rows = db.Set<VendorSerial>().AsNoTracking().Where(v => v.PartId == pid);
        if (query.Status is { } status) rows = rows.Where(v => v.Status == status);
        var total = await rows.CountAsync(ct);
        var paging = query.Page;
        // Newest first: the receiving desk works on what just arrived.
        var page = await rows.OrderByDescending(v => v.ReceivedAt).ThenByDescending(v => v.CreatedAt).ThenBy(v => v.Id)
            .Skip(paging.Offset).Take(paging.Limit).ToListAsync(ct);
        return new WorkflowPage<VendorSerialDto>(await ToDtosAsync(db, page, ct), total, paging.Limit, paging.Offset);
    }

    public static readonly ExportColumns<VendorSerialDto> Columns = ExportColumns<VendorSerialDto>.FromProperties();

    /// <summary>
    /// <c>GET /vendor/part/{partId}/export</c>: every vendor serial the list shows for the part and status, in its order
    /// (newest first), streamed; the filter is checked (and the part found) before the file starts. Paging is ignored.
    /// </summary>
    public async Task<Result<CsvExport>> ExportAsync(string partId, VendorSerialListQuery query, CancellationToken ct = default)
    {
        var parsed = WorkflowErrors.ParseId(partId, "Part");
        if (!parsed.IsSuccess) return parsed.Error!;
        var checks = new Checks();
        query.Check(checks);
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);
        await using var db = factory.CreateDbContext();
        var pid = parsed.Value;
        if (!await db.Set<Part>().AnyAsync(p => p.Id == pid, ct)) return WorkflowErrors.NotFound("Part", partId);
        return Columns.Export(ExportFiles.Name("vendor-serials", time), ExportRows(pid, query.Status));
    }

    private async IAsyncEnumerable<VendorSerialDto> ExportRows(Guid partId, string? status, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        var rows = db.Set<VendorSerial>().AsNoTracking().Where(v => v.PartId == partId);
        if (status is not null) rows = rows.Where(v => v.Status == status);
        // The internal serial's number comes in the same query, so rows stream (the list reads it per page).
        var dtos = from v in rows
                   join s in db.Set<Serial>() on v.InternalSerialId equals (Guid?)s.Id into serials
                   from s in serials.DefaultIfEmpty()
                   orderby v.ReceivedAt descending, v.CreatedAt descending, v.Id
                   select new VendorSerialDto(v.Id, v.VendorSerialNumber, v.VendorName, v.Status, v.CreatedAt, v.UpdatedAt, v.PartId, v.ReceivedAt,
                       s != null ? s.SerialNumber : null, v.InternalSerialId, v.AcceptedAt, v.RejectionReason, v.RejectedAt);
        await foreach (var row in dtos.AsAsyncEnumerable().WithCancellation(ct)) yield return row;
    }

    /// <summary>
    /// The vendor serials page: one part's vendor serials, or every part's when <paramref name="partId"/> is null (so
    /// the page is never blank before a choice), each with its part's number; newest first, optionally by status.
    /// </summary>
    public async Task<Result<WorkflowPage<VendorSerialListItem>>> ListItemsAsync(Guid? partId, VendorSerialListQuery query, CancellationToken ct = default)
    {
        var checks = new Checks();
        query.Check(checks);
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);

        await using var db = factory.CreateDbContext();
        if (partId is { } only && !await db.Set<Part>().AnyAsync(p => p.Id == only, ct)) return WorkflowErrors.NotFound("Part", only.ToString());
        var rows = db.Set<VendorSerial>().AsNoTracking();
        if (partId is { } pid) rows = rows.Where(v => v.PartId == pid);
        if (query.Status is { } status) rows = rows.Where(v => v.Status == status);
        var paging = query.Page;
        var total = await rows.CountAsync(ct);
        var page = await rows.OrderByDescending(v => v.ReceivedAt).ThenByDescending(v => v.CreatedAt).ThenBy(v => v.Id)
            .Skip(paging.Offset).Take(paging.Limit).ToListAsync(ct);
        var partIds = page.Select(v => v.PartId).Distinct().ToList();
        var parts = await db.Set<Part>().AsNoTracking().Where(p => partIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Number, ct);
        var dtos = await ToDtosAsync(db, page, ct);
        return new WorkflowPage<VendorSerialListItem>(dtos.Select(d => new VendorSerialListItem(d, parts.GetValueOrDefault(d.PartId) ?? "")).ToList(),
            total, paging.Limit, paging.Offset);
    }

    /// <summary>The rows with the number of the serial each accepted one became (one query for the page).</summary>
    private static async Task<List<VendorSerialDto>> ToDtosAsync(OperatorDb db, List<VendorSerial> rows, CancellationToken ct)
    {
        var serialIds = rows.Where(r => r.InternalSerialId is not null).Select(r => r.InternalSerialId!.Value).ToList();
        var numbers = serialIds.Count == 0 ? [] : await db.Set<Serial>().AsNoTracking().Where(s => serialIds.Contains(s.Id))
            .ToDictionaryAsync(s => s.Id, s => s.SerialNumber, ct);
        return rows.Select(v => new VendorSerialDto(v.Id, v.VendorSerialNumber, v.VendorName, v.Status, v.CreatedAt, v.UpdatedAt, v.PartId, v.ReceivedAt,
            v.InternalSerialId is { } sid ? numbers.GetValueOrDefault(sid) : null, v.InternalSerialId, v.AcceptedAt, v.RejectionReason, v.RejectedAt)).ToList();
    }
}
