using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;

namespace Operator.Features.Serials;

/// <summary>POST /api/certificates/{id}/attach body: the units to attach the certificate to, and who attaches it.</summary>
/// <param name="SerialIds">1 to 200 serial numbers or UUIDs, each as POST /api/serials/{id}/attach-cert takes it.</param>
/// <param name="UserId">UUID of the active user of the caller's organization who performs the attachments.</param>
public sealed record AttachToSerialsRequest(IReadOnlyList<string?>? SerialIds, Guid? UserId);

/// <summary>One unit's answer, in the order asked: attached (a new record), already_attached (the existing one) or refused.</summary>
/// <param name="SerialId">The unit as it was given.</param>
/// <param name="Outcome"><c>attached</c>, <c>already_attached</c> or <c>refused</c>.</param>
/// <param name="Attachment">The CertAttachment record (attached, already_attached).</param>
/// <param name="Status">The status the single attach would have answered (refused).</param>
/// <param name="Error">The single attach's message (refused).</param>
public sealed record UnitAttachResult(string SerialId, string Outcome, CertAttachmentDto? Attachment, int? Status, string? Error);

/// <summary>Every unit's answer and the count of each outcome.</summary>
public sealed record AttachToSerialsResult(Guid CertId, string CertNumber, int Attached, int AlreadyAttached, int Refused, IReadOnlyList<UnitAttachResult> Results);

/// <summary>
/// One certificate attached to many units at once (a heat lot's certificate on every unit made from it). Each unit is
/// answered exactly as POST /api/serials/{id}/attach-cert would answer it, through the same
/// <see cref="SerialService.AttachAsync"/>: one transaction and one lock per unit, so a refused unit (completed,
/// cancelled, not found) leaves the others attached, and an attachment already there is the existing record again.
/// What applies to the whole call (the role, the certificate, the list, the user) is checked once, before any unit.
/// </summary>
public sealed class CertificateAttachService(IDbContextFactory<OperatorDb> factory, SerialService serials)
{
    public const int MaxUnits = 200;
    public const string Attached = "attached";
    public const string AlreadyAttached = "already_attached";
    public const string Refused = "refused";

    public async Task<Result<AttachToSerialsResult>> AttachAsync(string certId, AttachToSerialsRequest request, CancellationToken ct = default)
    {
        if (!serials.CanWork) return Error.Forbidden(SerialService.StationForbidden);
        var issues = new List<FieldIssue>();
        if (request.SerialIds is not { } ids)
        {
            issues.Add(new FieldIssue("serialIds", "serialIds is required", "invalid_type"));
        }
        else if (ids.Count is 0 or > MaxUnits)
        {
            issues.Add(new FieldIssue("serialIds", $"serialIds must list 1 to {MaxUnits} serials", ids.Count == 0 ? "too_small" : "too_big"));
        }
        else
        {
            for (var i = 0; i < ids.Count; i++)
            {
                SerialRules.Reference($"serialIds[{i}]", ids[i], required: true, issues);
            }
        }
        SerialRules.Required("userId", request.UserId, issues);
        if (SerialRules.Failure(issues) is { } invalid) return invalid;

        CertificateRef? cert;
        await using (var db = factory.CreateDbContext())
        {
            cert = await CertificateService.FindAsync(db, certId, ct);
        }
        if (cert is null) return SerialService.CertificateNotFound(certId);

        var single = new AttachCertRequest(cert.Id.ToString(), request.UserId);
        var results = new List<UnitAttachResult>(request.SerialIds!.Count);
        foreach (var raw in request.SerialIds!)
        {
            var id = raw!.Trim();
            var outcome = await serials.AttachAsync(id, single, ct);
            results.Add(outcome.IsSuccess
                ? new UnitAttachResult(id, outcome.Value.Created ? Attached : AlreadyAttached, outcome.Value.Attachment, null, null)
                : new UnitAttachResult(id, Refused, null, SerialsStyle.Instance.StatusOf(outcome.Error!), outcome.Error!.Message));
        }
        return new AttachToSerialsResult(cert.Id, cert.Number, results.Count(r => r.Outcome == Attached),
            results.Count(r => r.Outcome == AlreadyAttached), results.Count(r => r.Outcome == Refused), results);
    }
}
