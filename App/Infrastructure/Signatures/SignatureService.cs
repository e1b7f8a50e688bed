using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;
using static Operator.Infrastructure.Api.Checks;

namespace Operator.Infrastructure.Signatures;

/// <summary>
/// The signature part of a decision's typed request. <see cref="Password"/> may be left out only by a signer who
/// already signed with it in the same continuous session (<see cref="SigningSession"/>, a Blazor circuit): an API
/// request is a session of its own, so API callers always send it.
/// </summary>
public sealed record SignatureInput(string? Password, string? Meaning, string? Comment = null);

/// <summary>A signer whose password was checked, with what they declare; recorded by <see cref="SignatureService.Record"/>.</summary>
public sealed record Signer(Guid UserId, string PrintedName, string Email, string Meaning, string? Comment);

/// <summary>A signature as a record's page and report show it.</summary>
public sealed record SignatureView(Guid Id, string Action, string PrintedName, string Email, DateTime SignedAt, string Meaning, string? Comment, string Hash, bool Verified);

/// <summary>Whether a stored signature still matches its record.</summary>
public sealed record SignatureCheck(bool Valid, string? Problem);

/// <summary>
/// A feature whose records are signed: the decisive content of one of its records for one decision, read again from
/// the database to verify a signature. The same text the feature hashed when it signed.
/// </summary>
public interface ISignedRecords
{
    string RecordType { get; }

    /// <summary>The content the decision <paramref name="action"/> signed, as the record says now; null when there is no such record.</summary>
    Task<string?> ContentAsync(OperatorDb db, string recordId, string action, CancellationToken ct);
}

/// <summary>
/// Electronic signatures on decisions (21 CFR Part 11 §11.50, §11.70, §11.200). A decision's service calls
/// <see cref="AuthenticateAsync"/> before its transaction (the organization's setting, the input's rules and the
/// password, checked with Identity so that a wrong password counts toward lockout and a locked-out user cannot sign),
/// then <see cref="Record"/> inside it, so the signature is saved with the decision or not at all.
/// </summary>
public sealed class SignatureService(
    IDbContextFactory<OperatorDb> factory, IServiceScopeFactory scopes, ICurrentUser caller, TimeProvider time, SigningSession session,
    IEnumerable<ISignedRecords> records)
{
    public const string Required = "An electronic signature is required for this decision: send signature {\"password\", \"meaning\"}";
    public const string PasswordRequired = "Enter your password to sign";
    public const string WrongPassword = "Signature refused: the password is not correct";
    public const string LockedOut = "Signature refused: the account is locked after too many failed attempts";
    public const string CommentRequired = "A comment is required for a rejection";
    public const int MaxComment = 500;

    /// <summary>Whether the caller's organization requires signatures on decisions (its administrators decide; on by default).</summary>
    public async Task<bool> RequiredAsync(CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        return await db.Organizations.AsNoTracking().Where(o => o.Id == caller.OrganizationId).Select(o => o.SignaturesRequired).SingleOrDefaultAsync(ct);
    }

    /// <summary>Whether the caller's next signature needs the password (no signing in this session yet, or idle too long).</summary>
    public bool PasswordNeeded => caller.UserId is not { } user || !session.IsOpen(user);

    /// <summary>
    /// Checks a decision's signature: none when the organization does not require one and none was given; otherwise
    /// the meaning, the comment (required for a rejection: meaning <c>rejected</c> or a decision that rejects) and the
    /// password. Validation issues name <c>signature.*</c>; <paramref name="validationMessage"/> is the group's
    /// top-level word for them. A wrong password is Unauthorized and counts as a failed access.
    /// </summary>
    public async Task<Result<Signer?>> AuthenticateAsync(SignatureInput? input, bool rejection, string validationMessage, CancellationToken ct = default)
    {
        if (input is null)
        {
            return await RequiredAsync(ct) ? Error.Validation(validationMessage, new FieldIssue(P("signature"), Required)) : Result<Signer?>.Ok(null);
        }
        var checks = new Checks();
        var meaning = checks.OneOf(P("signature", "meaning"), input.Meaning, SignatureMeanings.All);
        var comment = string.IsNullOrWhiteSpace(input.Comment) ? null : input.Comment.Trim();
        if (comment is null && (rejection || meaning == SignatureMeanings.Rejected))
        {
            checks.Add(P("signature", "comment"), CommentRequired);
        }
        else if (comment is { Length: > MaxComment })
        {
            checks.Add(P("signature", "comment"), $"comment must be at most {MaxComment} characters");
        }
        var userId = caller.UserId ?? throw new InvalidOperationException("Signing needs a signed-in user.");
        var password = string.IsNullOrEmpty(input.Password) ? null : input.Password;
        if (password is null && !session.IsOpen(userId))
        {
            checks.Add(P("signature", "password"), PasswordRequired);
        }
        if (checks.Failed) return checks.ToError(validationMessage);

        // Identity's own scope: its store keeps its context for the scope's life, and a circuit's scope lives for hours.
        await using var scope = scopes.CreateAsyncScope();
        if (scope.ServiceProvider.GetService<CurrentUser>() is { } scoped) scoped.Set(caller.Principal);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null || !user.IsActive) return Error.Unauthorized(WrongPassword);
        if (await users.IsLockedOutAsync(user)) return Error.Unauthorized(LockedOut);
        if (password is not null)
        {
            if (!await users.CheckPasswordAsync(user, password))
            {
                await users.AccessFailedAsync(user);
                return Error.Unauthorized(await users.IsLockedOutAsync(user) ? LockedOut : WrongPassword);
            }
            if (await users.GetAccessFailedCountAsync(user) > 0) await users.ResetAccessFailedCountAsync(user);
        }
        session.Signed(userId);
        return new Signer(userId, user.DisplayName, user.Email ?? "", meaning!, comment);
    }

    /// <summary>
    /// Adds the signature of <paramref name="signer"/> on a record's decision to <paramref name="db"/>, in the decision's
    /// open transaction; <paramref name="content"/> is the record's decisive content after the decision, as its
    /// <see cref="ISignedRecords"/> reads it back.
    /// </summary>
    public ElectronicSignature Record(OperatorDb db, Signer signer, string recordType, string recordId, string action, string content, DateTime now)
    {
        var at = ElectronicSignature.Truncate(now);
        var signature = new ElectronicSignature
        {
            OrganizationId = db.TenantId ?? throw new InvalidOperationException("A signature needs an organization."),
            RecordType = recordType, RecordId = recordId, Action = action, UserId = signer.UserId, PrintedName = signer.PrintedName,
            UserEmail = signer.Email, SignedAt = at, Meaning = signer.Meaning, Comment = signer.Comment,
            Hash = ElectronicSignature.ComputeHash(recordType, recordId, action, content, signer.UserId, signer.PrintedName, at, signer.Meaning, signer.Comment),
        };
        db.Add(signature);
        return signature;
    }

    /// <summary>The signatures on one record, oldest first, each verified against the record as it is now.</summary>
    public async Task<IReadOnlyList<SignatureView>> ForRecordAsync(string recordType, string recordId, CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        var rows = await db.Set<ElectronicSignature>().AsNoTracking().Where(s => s.RecordType == recordType && s.RecordId == recordId)
            .OrderBy(s => s.SignedAt).ToListAsync(ct);
        var views = new List<SignatureView>(rows.Count);
        foreach (var s in rows)
        {
            var check = await CheckAsync(db, s, ct);
            views.Add(new SignatureView(s.Id, s.Action, s.PrintedName, s.UserEmail, s.SignedAt, s.Meaning, s.Comment, s.Hash, check.Valid));
        }
        return views;
    }

    /// <summary>Recomputes a signature's hash from its record as the record is now (§11.70: linked to its record).</summary>
    public async Task<Result<SignatureCheck>> VerifyAsync(Guid signatureId, CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        var signature = await db.Set<ElectronicSignature>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == signatureId, ct);
        if (signature is null) return Error.NotFound("Signature not found", "ElectronicSignature", signatureId.ToString());
        return await CheckAsync(db, signature, ct);
    }

    private async Task<SignatureCheck> CheckAsync(OperatorDb db, ElectronicSignature signature, CancellationToken ct)
    {
        var source = records.FirstOrDefault(r => r.RecordType == signature.RecordType);
        if (source is null) return new SignatureCheck(false, $"records of type {signature.RecordType} are not known");
        var content = await source.ContentAsync(db, signature.RecordId, signature.Action, ct);
        if (content is null) return new SignatureCheck(false, "the signed record does not exist");
        return signature.ComputeHash(content) == signature.Hash
            ? new SignatureCheck(true, null)
            : new SignatureCheck(false, "the signature does not match its record: the record or the signature was changed after signing");
    }

    /// <summary>Whether an error is the signature's (shown in the signing dialog) rather than the decision's.</summary>
    public static bool IsSignatureError(Error? error) =>
        error is not null && (error.Kind == ErrorKind.Unauthorized
            || error.Kind == ErrorKind.Validation && error.Issues.Count > 0 && error.Issues.All(i => i.Path.Count > 0 && Equals(i.Path[0], "signature")));
}

/// <summary>
/// The signing state of one continuous session (§11.200(a)(1)): a Blazor circuit. After a signing with the password,
/// later signings by the same user need only the meaning, until the session has been idle (no signing) for
/// <see cref="IdleLimit"/> or ends (sign-out closes the circuit). Scoped, so an API request is a session of its own
/// and never skips the password.
/// </summary>
public sealed class SigningSession(TimeProvider time)
{
    public static readonly TimeSpan IdleLimit = TimeSpan.FromMinutes(15);
    private Guid? _user;
    private DateTimeOffset _last;

    public bool IsOpen(Guid user) => _user == user && time.GetUtcNow() - _last < IdleLimit;

    internal void Signed(Guid user)
    {
        _user = user;
        _last = time.GetUtcNow();
    }

    public void End() => _user = null;
}

public static class SignaturesSetup
{
    public static IServiceCollection AddOperatorSignatures(this IServiceCollection services) => services
        .AddScoped<SignatureService>()
        .AddScoped<SigningSession>();
}
