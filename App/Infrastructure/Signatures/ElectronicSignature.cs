using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Operator.Infrastructure.Tenancy;

namespace Operator.Infrastructure.Signatures;

/// <summary>What a signer declares by signing (21 CFR Part 11 §11.50(a)(3)).</summary>
public static class SignatureMeanings
{
    public const string Reviewed = "reviewed";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Responsible = "responsible";
    public static readonly IReadOnlyList<string> All = [Reviewed, Approved, Rejected, Responsible];

    public static string Label(string meaning) => meaning switch
    {
        Reviewed => "Reviewed",
        Approved => "Approved",
        Rejected => "Rejected",
        Responsible => "Responsible",
        _ => meaning,
    };
}

/// <summary>
/// One electronic signature on one decision (§11.50, §11.70). Written in the decision's transaction and never changed:
/// <see cref="Hash"/> covers the signed record's decisive content, its type and id, the decision, the signer, the time,
/// the meaning and the comment, so a signature copied onto another record, or a record changed after signing, no
/// longer verifies.
/// </summary>
public sealed class ElectronicSignature : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganizationId { get; set; }

    /// <summary>The kind of record signed (<c>quality_hold</c>, <c>uniqueness_conflict</c>, <c>vendor_serial</c>).</summary>
    public required string RecordType { get; set; }
    public required string RecordId { get; set; }

    /// <summary>The decision signed: the audit action it is recorded under (<c>hold_released</c>, ...).</summary>
    public required string Action { get; set; }
    public Guid UserId { get; set; }

    /// <summary>The signer's display name at the time of signing (§11.50(a)(1)), kept even if the user is renamed later.</summary>
    public required string PrintedName { get; set; }
    public required string UserEmail { get; set; }
    public DateTime SignedAt { get; set; }
    public required string Meaning { get; set; }
    public string? Comment { get; set; }
    public required string Hash { get; set; }

    /// <summary>
    /// SHA-256 over the fields as one JSON array, so no two different inputs share a text (a separator inside a
    /// comment cannot shift a field into the next).
    /// </summary>
    public static string ComputeHash(string recordType, string recordId, string action, string content, Guid userId, string printedName,
        DateTime signedAt, string meaning, string? comment)
    {
        var text = JsonSerializer.Serialize(new[]
        {
            "operator-signature-v1", recordType, recordId, action, content, userId.ToString("D"), printedName,
            Time(signedAt), meaning, comment ?? "",
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public string ComputeHash(string content) =>
        ComputeHash(RecordType, RecordId, Action, content, UserId, PrintedName, SignedAt, Meaning, Comment);

    /// <summary>A time as the hash sees it: UTC to the microsecond, which both providers store exactly.</summary>
    public static string Time(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A time truncated to what both providers keep, so what is hashed is what is read back.</summary>
    public static DateTime Truncate(DateTime utc) => new(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);
}

internal sealed class ElectronicSignatureConfiguration : IEntityTypeConfiguration<ElectronicSignature>
{
    public void Configure(EntityTypeBuilder<ElectronicSignature> b)
    {
        b.ToTable("ElectronicSignatures");
        b.Property(s => s.Id).ValueGeneratedNever();
        b.Property(s => s.RecordType).HasMaxLength(64);
        b.Property(s => s.RecordId).HasMaxLength(100);
        b.Property(s => s.Action).HasMaxLength(64);
        b.Property(s => s.PrintedName).HasMaxLength(200);
        b.Property(s => s.UserEmail).HasMaxLength(256);
        b.Property(s => s.Meaning).HasMaxLength(20);
        b.Property(s => s.Comment).HasMaxLength(500);
        b.Property(s => s.Hash).HasMaxLength(64);
        b.HasIndex(s => new { s.OrganizationId, s.RecordType, s.RecordId });
    }
}
