using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Operator.Features.Reports;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;
using static Operator.Infrastructure.Api.Checks;

namespace Operator.Features.Serials;

public sealed record CertificateRef(Guid Id, string Number);

/// <summary>
/// Material and process certificates of the caller's organization: create (number drawn as <c>CERT-0001</c> when not
/// given), list with search, detail with where the certificate is attached, and its PDF document (at most 10 MB, kept
/// in the database apart from the certificate row). Creating and uploading is station work (OPERATOR and up): the
/// people who receive material and attach its certificates are the ones who file them.
/// </summary>
public sealed class CertificateService(IDbContextFactory<OperatorDb> factory, AuditTrail audit, TimeProvider time, ICurrentUser caller)
{
    public const long MaxDocumentBytes = 10 * 1024 * 1024;
    public const int LatestAttachments = 50;
    public const string CreateForbidden = "Insufficient permissions: creating certificates and uploading their documents needs the OPERATOR role or higher";

    public bool CanWrite => Policies.Allows(Policies.StationWork, caller.Role);

    /// <summary>
    /// A certificate of the caller's organization by UUID or by number (as given, or in upper case). Shared by the
    /// attachment, the batch create and the station, so every door accepts the same references.
    /// </summary>
    internal static async Task<CertificateRef?> FindAsync(OperatorDb db, string? reference, CancellationToken ct)
    {
        var term = reference?.Trim() ?? "";
        if (term.Length is 0 or > SerialRules.MaxReferenceLength || term.Any(char.IsControl)) return null;
        var certificates = db.Set<Certificate>().AsNoTracking();
        if (Guid.TryParse(term, out var id))
        {
            return await certificates.Where(c => c.Id == id).Select(c => new CertificateRef(c.Id, c.Number)).SingleOrDefaultAsync(ct);
        }
        var upper = term.ToUpperInvariant();
        var matching = upper == term ? certificates.Where(c => c.Number == term) : certificates.Where(c => c.Number == term || c.Number == upper);
        return await matching.OrderBy(c => c.Number == term ? 0 : 1).Select(c => new CertificateRef(c.Id, c.Number)).FirstOrDefaultAsync(ct);
    }

    // ---------------------------------------------------------------- read

    public async Task<Result<Page<CertificateDto>>> ListAsync(CertificateListQuery query, CancellationToken ct = default)
    {
        if (CheckList(query) is { } error) return error;
        await using var db = factory.CreateDbContext();
        return await ListRows(db, query).ToPageAsync(new ListQuery(query.Search, query.Limit, query.Offset), ct);
    }

    /// <summary>The export's columns: the list item's JSON names, in its order.</summary>
    public static readonly IReadOnlyList<string> ExportHeader =
        ["id", "number", "type", "issuer", "issuedAt", "expiresAt", "description", "hasDocument", "documentName", "documentSize", "documentSha256", "createdAt"];

    /// <summary><c>GET /api/certificates/export</c>: every certificate the list shows for <paramref name="query"/> (limit and offset aside).</summary>
    public Result<CsvExport> Export(CertificateListQuery query)
    {
        var unpaged = query with { Limit = null, Offset = null };
        if (CheckList(unpaged) is { } error) return error;
        return new CsvExport($"certificates-{time.GetUtcNow().UtcDateTime:yyyyMMdd-HHmmss}.csv", ExportHeader, ExportRows(unpaged));
    }

    private async IAsyncEnumerable<IReadOnlyList<object?>> ExportRows(CertificateListQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        await foreach (var c in ListRows(db, query).AsAsyncEnumerable().WithCancellation(ct))
        {
            yield return [c.Id, c.Number, c.Type, c.Issuer, c.IssuedAt, c.ExpiresAt, c.Description, c.HasDocument, c.DocumentName, c.DocumentSize, c.DocumentSha256, c.CreatedAt];
        }
    }

    private static Error? CheckList(CertificateListQuery query)
    {
        var issues = new ListQuery(query.Search, query.Limit, query.Offset).Validate()?.Issues.ToList() ?? [];
        if (query.Search is { } text && text.Any(char.IsControl)) issues.Add(new FieldIssue("search", "search must not contain control characters"));
        var type = string.IsNullOrWhiteSpace(query.Type) ? null : query.Type.Trim();
        if (type is not null && !CertificateTypes.All.Contains(type))
        {
            issues.Add(new FieldIssue("type", $"type must be one of {string.Join(", ", CertificateTypes.All)}"));
        }
        return issues.Count > 0 ? Error.Validation(string.Join("; ", issues.Select(i => i.Message)), issues) : null;
    }

    /// <summary>The list's rows in its order; <see cref="CheckList"/> passed.</summary>
    private static IQueryable<CertificateDto> ListRows(OperatorDb db, CertificateListQuery query)
    {
        var rows = db.Set<Certificate>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Type) && query.Type.Trim() is var type) rows = rows.Where(c => c.Type == type);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var lower = query.Search.Trim().ToLowerInvariant();
            rows = rows.Where(c => c.Number.ToLower().Contains(lower) || c.Issuer.ToLower().Contains(lower) || (c.Description != null && c.Description.ToLower().Contains(lower)));
        }
        return rows.OrderBy(c => c.Number).Select(Projection);
    }

    public async Task<Result<CertificateDetailDto>> GetAsync(string id, CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        var found = await FindAsync(db, id, ct);
        if (found is null) return SerialService.CertificateNotFound(id);
        var certificate = await db.Set<Certificate>().AsNoTracking().Where(c => c.Id == found.Id).Select(Projection).SingleAsync(ct);
        var count = await db.Set<CertAttachment>().CountAsync(a => a.CertificateId == found.Id, ct);
        var latest = await UsesAsync(db, found.Id, 0, LatestAttachments, ct);
        return new CertificateDetailDto(certificate, count, latest);
    }

    /// <summary>Every attachment of the certificate, newest first, paged.</summary>
    public async Task<Result<Page<CertificateUseDto>>> AttachmentsAsync(string id, ListQuery query, CancellationToken ct = default)
    {
        if (query.Validate() is { } invalid) return invalid;
        await using var db = factory.CreateDbContext();
        var found = await FindAsync(db, id, ct);
        if (found is null) return SerialService.CertificateNotFound(id);
        var total = await db.Set<CertAttachment>().CountAsync(a => a.CertificateId == found.Id, ct);
        return new Page<CertificateUseDto>(await UsesAsync(db, found.Id, query.Skip, query.Take, ct), total, query.Take, query.Skip);
    }

    public static readonly ExportColumns<CertificateUseDto> AttachmentColumns = ExportColumns<CertificateUseDto>.FromProperties();

    /// <summary>
    /// <c>GET /api/certificates/{id}/attachments/export</c>: every attachment of the certificate in the list's order (newest
    /// first), the attaching user's name read in the same query so rows stream.
    /// </summary>
    public async Task<Result<CsvExport>> ExportAttachmentsAsync(string id, ListQuery query, CancellationToken ct = default)
    {
        if ((query with { Limit = null, Offset = null }).Validate() is { } invalid) return invalid;
        await using var db = factory.CreateDbContext();
        var found = await FindAsync(db, id, ct);
        if (found is null) return SerialService.CertificateNotFound(id);
        return AttachmentColumns.Export(ExportFiles.Name("certificate-attachments", time), AttachmentRows(found.Id));
    }

    private async IAsyncEnumerable<CertificateUseDto> AttachmentRows(Guid certificateId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        var rows = from a in db.Set<CertAttachment>().AsNoTracking().Where(a => a.CertificateId == certificateId)
                   join s in db.Set<Serial>() on a.SerialId equals s.Id
                   join st in db.Set<Operator.Features.MasterData.ProcessStep>() on a.StepId equals st.Id
                   join u in db.Users on a.AttachedBy equals u.Id into users
                   from u in users.DefaultIfEmpty()
                   orderby a.AttachedAt descending, s.SerialNumber
                   select new CertificateUseDto(a.Id, s.Id, s.SerialNumber, s.Status, st.Id, st.Name, st.Sequence, a.AttachedAt, a.AttachedBy, u != null ? u.DisplayName : "");
        await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(ct)) yield return row;
    }

    private static async Task<List<CertificateUseDto>> UsesAsync(OperatorDb db, Guid certificateId, int skip, int take, CancellationToken ct)
    {
        var rows = await db.Set<CertAttachment>().AsNoTracking().Where(a => a.CertificateId == certificateId)
            .Join(db.Set<Serial>(), a => a.SerialId, s => s.Id, (a, s) => new { a, s })
            .Join(db.Set<Operator.Features.MasterData.ProcessStep>(), x => x.a.StepId, st => st.Id, (x, st) => new
            {
                x.a.Id, SerialUuid = x.s.Id, x.s.SerialNumber, x.s.Status, StepId = st.Id, st.Name, st.Sequence, x.a.AttachedAt, x.a.AttachedBy,
            })
            .OrderByDescending(r => r.AttachedAt).ThenBy(r => r.SerialNumber).Skip(skip).Take(take).ToListAsync(ct);
        var userIds = rows.Select(r => r.AttachedBy).Distinct().ToList();
        var names = userIds.Count == 0 ? [] : await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return rows.Select(r => new CertificateUseDto(r.Id, r.SerialUuid, r.SerialNumber, r.Status, r.StepId, r.Name, r.Sequence, r.AttachedAt, r.AttachedBy,
            names.GetValueOrDefault(r.AttachedBy, ""))).ToList();
    }

    private static readonly System.Linq.Expressions.Expression<Func<Certificate, CertificateDto>> Projection = c => new CertificateDto(
        c.Id, c.Number, c.Type, c.Issuer, c.IssuedAt, c.ExpiresAt, c.Description, c.DocumentSize != null, c.DocumentName, c.DocumentSize, c.DocumentSha256, c.CreatedAt);

    // ---------------------------------------------------------------- create

    public async Task<Result<CertificateDto>> CreateAsync(CreateCertificateRequest request, CancellationToken ct = default)
    {
        if (!CanWrite) return Error.Forbidden(CreateForbidden);
        var checks = new Checks();
        var number = request.Number is null ? null : checks.Text(P("number"), request.Number, 1, 60);
        if (number is not null && Guid.TryParse(number, out _))
        {
            // certId accepts a UUID or a number: a number that looks like a UUID would be ambiguous.
            checks.Add(P("number"), "number must not be a UUID");
        }
        else if (number is not null && number.Any(char.IsControl))
        {
            checks.Add(P("number"), "number must not contain control characters");
        }
        var type = checks.OneOf(P("type"), request.Type, CertificateTypes.All);
        var issuer = checks.Text(P("issuer"), request.Issuer, 1, 200);
        if (request.IssuedAt is null) checks.Add(P("issuedAt"), "issuedAt is required", "invalid_type");
        if (request.ExpiresAt is { } expires && request.IssuedAt is { } issued && expires < issued)
        {
            checks.Add(P("expiresAt"), "expiresAt must not be before issuedAt");
        }
        var description = checks.OptionalText(P("description"), request.Description, 1000);
        if (issuer is not null && issuer.Any(char.IsControl)) checks.Add(P("issuer"), "issuer must not contain control characters");
        if (description is not null && description.Any(SerialRules.IsForbiddenControl)) checks.Add(P("description"), "description must not contain control characters");
        if (checks.Failed) return checks.ToError(string.Join("; ", checks.Issues.Select(i => $"{i.Field}: {i.Message}")));

        await using var db = factory.CreateDbContext();
        var org = db.TenantId ?? throw new InvalidOperationException("Creating a certificate needs a signed-in user of an organization.");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (number is null)
        {
            // Skip numbers someone typed in by hand, so a drawn number never collides.
            do
            {
                number = $"CERT-{await db.NextAsync(org, "cert", 1, ct):D4}";
            }
            while (await db.Set<Certificate>().AnyAsync(c => c.Number == number, ct));
        }
        var certificate = new Certificate
        {
            Id = Guid.NewGuid(), OrganizationId = org, Number = number, Type = type!, Issuer = issuer!,
            IssuedAt = DateTime.SpecifyKind(request.IssuedAt!.Value, DateTimeKind.Utc), ExpiresAt = request.ExpiresAt is { } expiry ? DateTime.SpecifyKind(expiry, DateTimeKind.Utc) : null,
            Description = string.IsNullOrEmpty(description) ? null : description, CreatedAt = SerialLookup.Truncate(time.GetUtcNow().UtcDateTime),
        };
        db.Add(certificate);
        var dto = ToDto(certificate);
        await audit.AppendAsync(db, SerialAudit.CertificateCreated, SerialAudit.CertificateEntity, certificate.Id.ToString(), after: dto, ct: ct);
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return dto;
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return Error.Conflict($"Certificate {number} already exists");
        }
    }

    // ---------------------------------------------------------------- document

    /// <summary>
    /// Stores (or replaces) the certificate's PDF: content type application/pdf, 1 byte to 10 MB, starting with
    /// <c>%PDF-</c>. Reads at most one byte more than the limit, so an oversized upload is refused without buffering it.
    /// </summary>
    public async Task<Result<CertificateDto>> UploadDocumentAsync(string id, Stream content, string? fileName, string? contentType, CancellationToken ct = default)
    {
        if (!CanWrite) return Error.Forbidden(CreateForbidden);
        if (contentType is null || !contentType.Split(';')[0].Trim().Equals("application/pdf", StringComparison.OrdinalIgnoreCase))
        {
            return new Error(ErrorKind.Other, "Send the certificate document as application/pdf", []) { Status = StatusCodes.Status415UnsupportedMediaType };
        }
        await using var db = factory.CreateDbContext();
        var found = await FindAsync(db, id, ct);
        if (found is null) return SerialService.CertificateNotFound(id);

        var bytes = await ReadAtMostAsync(content, MaxDocumentBytes + 1, ct);
        if (bytes.Length > MaxDocumentBytes)
        {
            return new Error(ErrorKind.Other, $"The certificate document is larger than {MaxDocumentBytes / 1024 / 1024} MB", []) { Status = StatusCodes.Status413PayloadTooLarge };
        }
        if (bytes.Length == 0) return Error.Validation("document", "The certificate document is empty");
        if (bytes.Length < 5 || bytes[0] != '%' || bytes[1] != 'P' || bytes[2] != 'D' || bytes[3] != 'F' || bytes[4] != '-')
        {
            return Error.Validation("document", "The certificate document is not a PDF file");
        }

        var name = CleanFileName(fileName, found.Number);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var certificate = await db.Set<Certificate>().SingleAsync(c => c.Id == found.Id, ct);
        var before = new { certificate.DocumentName, certificate.DocumentSize, certificate.DocumentSha256 };
        var document = await db.Set<CertificateDocument>().SingleOrDefaultAsync(d => d.CertificateId == found.Id, ct);
        if (document is null)
        {
            db.Add(new CertificateDocument { CertificateId = found.Id, OrganizationId = certificate.OrganizationId, Content = bytes });
        }
        else
        {
            document.Content = bytes;
        }
        certificate.DocumentName = name;
        certificate.DocumentContentType = "application/pdf";
        certificate.DocumentSize = bytes.Length;
        certificate.DocumentSha256 = sha;
        await audit.AppendAsync(db, SerialAudit.DocumentUploaded, SerialAudit.CertificateEntity, certificate.Id.ToString(),
            before: before.DocumentSize is null ? null : before, after: new { documentName = name, documentSize = bytes.Length, documentSha256 = sha }, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return ToDto(certificate);
    }

    public async Task<Result<CertificateDocumentFile>> GetDocumentAsync(string id, CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        var found = await FindAsync(db, id, ct);
        if (found is null) return SerialService.CertificateNotFound(id);
        var file = await db.Set<Certificate>().AsNoTracking().Where(c => c.Id == found.Id)
            .Select(c => new { c.DocumentName, Content = db.Set<CertificateDocument>().Where(d => d.CertificateId == c.Id).Select(d => d.Content).FirstOrDefault() })
            .SingleAsync(ct);
        if (file.Content is null) return Error.NotFound($"Certificate {found.Number} has no document", "CertificateDocument", found.Id.ToString());
        return new CertificateDocumentFile(file.Content, file.DocumentName ?? $"{found.Number}.pdf", "application/pdf");
    }

    private static async Task<byte[]> ReadAtMostAsync(Stream content, long limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        while (buffer.Length < limit)
        {
            var read = await content.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit - buffer.Length)), ct);
            if (read == 0) break;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>The name shown and offered for download: no folders, no control characters, a .pdf ending.</summary>
    internal static string CleanFileName(string? fileName, string number)
    {
        var name = Path.GetFileName((fileName ?? "").Replace('\\', '/')).Trim();
        name = new string(name.Where(c => !char.IsControl(c) && c != '"').ToArray());
        if (name.Length == 0) name = $"{number}.pdf";
        if (!name.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase)) name += ".pdf";
        return name.Length <= 255 ? name : name[..251] + ".pdf";
    }

    private static CertificateDto ToDto(Certificate c) => new(
        c.Id, c.Number, c.Type, c.Issuer, c.IssuedAt, c.ExpiresAt, c.Description, c.DocumentSize != null, c.DocumentName, c.DocumentSize, c.DocumentSha256, c.CreatedAt);
}
