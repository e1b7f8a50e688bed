using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Infrastructure.Api;

/// <summary>
/// One <c>Idempotency-Key</c> of one user: the request it was first sent with (a hash) and, once that request finished,
/// its answer. The unique index on (user, key) is what makes two concurrent requests with one key create once.
/// </summary>
public sealed class IdempotencyRecord
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid UserId { get; set; }
    public required string Key { get; set; }
    /// <summary>SHA-256 of method, path, query and body, hex.</summary>
    public required string RequestHash { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Null while the first request is still running.</summary>
    public int? StatusCode { get; set; }
    public string? ContentType { get; set; }
    public byte[]? ResponseBody { get; set; }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> b)
    {
        b.ToTable("IdempotencyRecords");
        b.HasKey(r => r.Id);
        b.Property(r => r.Key).HasMaxLength(IdempotencyFilter.MaxKeyLength);
        b.Property(r => r.RequestHash).HasMaxLength(64);
        b.Property(r => r.ContentType).HasMaxLength(100);
        b.HasIndex(r => new { r.UserId, r.Key }).IsUnique();
        b.HasIndex(r => r.CreatedAt);
    }
}

/// <summary>Endpoint metadata: this operation honours <c>Idempotency-Key</c>.</summary>
public sealed record IdempotentOperation;

/// <summary>
/// Points where a test holds a request (after the key is claimed, before the operation runs) to force two requests
/// with one key to overlap. Does nothing in the app.
/// </summary>
public class IdempotencySeam
{
    public virtual Task BeforeClaimAsync(HttpContext context) => Task.CompletedTask;
    public virtual Task AfterClaimAsync(HttpContext context) => Task.CompletedTask;
}

public static class IdempotencyExtensions
{
    /// <summary>
    /// The operation accepts an <c>Idempotency-Key</c> header: the same key from the same user within 24 hours answers
    /// the first request's status and body again instead of running the operation again.
    /// </summary>
    public static RouteHandlerBuilder WithIdempotency(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new IdempotentOperation()).AddEndpointFilter<IdempotencyFilter>();

    /// <summary>The filter hashes the raw body, which the endpoint's binding reads first: keep it readable twice.</summary>
    public static IApplicationBuilder UseIdempotencyBodies(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IdempotentOperation>() is not null &&
            context.Request.Headers.ContainsKey(IdempotencyFilter.Header))
        {
            context.Request.EnableBuffering();
        }
        return next(context);
    });
}

/// <summary>
/// The key is claimed with an insert before the operation runs, so the unique index decides between concurrent
/// requests: the loser answers 409 "still in progress" at once (it never waits on the winner's transaction), and once the
/// winner has finished the same key answers the winner's status and body. A key reused with another request is a 422.
/// A 5xx or an exception releases the key, so a client may retry what failed; every other answer is kept for 24 hours.
/// Expired keys are removed when they are next used.
/// </summary>
public sealed class IdempotencyFilter(IDbContextFactory<OperatorDb> factory, TimeProvider time, IdempotencySeam seam, ILogger<IdempotencyFilter> log) : IEndpointFilter
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 200;
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(Header, out var values))
        {
            return await next(context);
        }
        var style = ApiGroupExtensions.StyleFor(http) ?? PlainStyle.Instance;
        var key = values.Count == 1 ? values[0] : null;
        if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            var message = $"{Header} must be 1-{MaxKeyLength} printable ASCII characters without spaces, sent once";
            return style.Failure(Error.Validation(style.InvalidParametersMessage(message), new FieldIssue([Header], message, "invalid_string")), http);
        }
        if (!Guid.TryParse(http.User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return await next(context);
        }

        var hash = await HashAsync(http);
        await seam.BeforeClaimAsync(http);
        var (claimed, existing) = await ClaimAsync(userId, key, hash, http.RequestAborted);
        if (!claimed)
        {
            if (existing!.RequestHash != hash)
            {
                return style.Failure(new Error(ErrorKind.Other,
                    $"{Header} was already used for a different request; send a new key for a new request", []) { Status = StatusCodes.Status422UnprocessableEntity }, http);
            }
            if (existing.StatusCode is not { } status)
            {
                return style.Failure(Error.Conflict($"A request with this {Header} is still in progress; retry when it has finished"), http);
            }
            http.Response.Headers["Idempotent-Replayed"] = "true";
            return new StoredAnswer(status, existing.ContentType, existing.ResponseBody ?? []);
        }

        await seam.AfterClaimAsync(http);
        try
        {
            var returned = await next(context);
            var (statusCode, contentType, body) = await RenderAsync(returned, http, style);
            if (statusCode >= 500)
            {
                await ReleaseAsync(userId, key);
            }
            else
            {
                await CompleteAsync(userId, key, statusCode, contentType, body);
            }
            return new StoredAnswer(statusCode, contentType, body);
        }
        catch
        {
            await ReleaseAsync(userId, key);
            throw;
        }
    }

    /// <summary>Inserts the key, or returns the live record that holds it (an expired one is removed and the insert retried).</summary>
    private async Task<(bool Claimed, IdempotencyRecord? Existing)> ClaimAsync(Guid userId, string key, string hash, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow().UtcDateTime;
            await using (var db = factory.CreateDbContext())
            {
                db.Set<IdempotencyRecord>().Add(new IdempotencyRecord { UserId = userId, Key = key, RequestHash = hash, CreatedAt = now });
                try
                {
                    await db.SaveChangesAsync(ct);
                    return (true, null);
                }
                catch (DbUpdateException e) when (e.IsUniqueViolation())
                {
                }
            }
            await using (var db = factory.CreateDbContext())
            {
                var existing = await db.Set<IdempotencyRecord>().AsNoTracking().SingleOrDefaultAsync(r => r.UserId == userId && r.Key == key, ct);
                if (existing is not null && (existing.CreatedAt > now - Lifetime || attempt > 0))
                {
                    return (false, existing);
                }
                if (existing is null && attempt >= 3)
                {
                    // Claimed and released again and again by others: answer as for a request still running.
                    return (false, new IdempotencyRecord { UserId = userId, Key = key, RequestHash = hash, CreatedAt = now });
                }
                // Expired (or released meanwhile): clear it and claim again.
                await db.Set<IdempotencyRecord>().Where(r => r.UserId == userId && r.Key == key && r.CreatedAt <= now - Lifetime).ExecuteDeleteAsync(ct);
            }
        }
    }

    private async Task CompleteAsync(Guid userId, string key, int status, string? contentType, byte[] body)
    {
        await using var db = factory.CreateDbContext();
        await db.Set<IdempotencyRecord>().Where(r => r.UserId == userId && r.Key == key)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.StatusCode, status).SetProperty(r => r.ContentType, contentType).SetProperty(r => r.ResponseBody, body), CancellationToken.None);
    }

    private async Task ReleaseAsync(Guid userId, string key)
    {
        try
        {
            await using var db = factory.CreateDbContext();
            await db.Set<IdempotencyRecord>().Where(r => r.UserId == userId && r.Key == key && r.StatusCode == null).ExecuteDeleteAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            // The key then stays "in progress" until it expires; the original failure is what the caller must see.
            log.LogError(e, "Could not release an idempotency key after a failed request");
        }
    }

    /// <summary>Method, path, query and the raw body: the same key with anything else is a different request.</summary>
    private static async Task<string> HashAsync(HttpContext http)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}\n"));
        if (http.Request.Body.CanSeek)
        {
            var position = http.Request.Body.Position;
            http.Request.Body.Position = 0;
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
            {
                sha.AppendData(buffer, 0, read);
            }
            http.Request.Body.Position = position;
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>The answer as the group would write it (a service result in the group's shape), captured to be kept.</summary>
    private static async Task<(int Status, string? ContentType, byte[] Body)> RenderAsync(object? returned, HttpContext http, ApiStyle style)
    {
        IResult result = returned switch
        {
            IServiceResult { IsSuccess: false } failed => style.Failure(failed.Error!, http),
            IServiceResult ok => style.Success(ok.BoxedValue, http.GetEndpoint()?.Metadata.GetMetadata<SuccessStatus>()?.StatusCode ?? StatusCodes.Status200OK, http),
            IResult r => r,
            _ => Results.Json(returned, style.Json),
        };
        var original = http.Response.Body;
        await using var capture = new MemoryStream();
        http.Response.Body = capture;
        try
        {
            await result.ExecuteAsync(http);
        }
        finally
        {
            http.Response.Body = original;
        }
        var status = http.Response.StatusCode;
        return (status, http.Response.ContentType, capture.ToArray());
    }
}

/// <summary>An answer written byte for byte as it was first written.</summary>
internal sealed class StoredAnswer(int status, string? contentType, byte[] body) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = status;
        if (contentType is not null) httpContext.Response.ContentType = contentType;
        if (body.Length > 0) await httpContext.Response.Body.WriteAsync(body, httpContext.RequestAborted);
    }
}
