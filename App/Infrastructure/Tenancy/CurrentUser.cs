using System.Security.Claims;
using Operator.Infrastructure.Auth;

namespace Operator.Infrastructure.Tenancy;

/// <summary>Rows that belong to one organization. <see cref="Data.OperatorDb"/> filters every query on them by the caller's organization.</summary>
public interface ITenantOwned
{
    Guid OrganizationId { get; set; }
}

/// <summary>
/// Who is calling, for the current request (API) or circuit (Blazor). The organization it names is the only one
/// whose rows the database context shows.
/// </summary>
public interface ICurrentUser
{
    ClaimsPrincipal Principal { get; }
    bool IsAuthenticated => Principal.Identity?.IsAuthenticated == true;
    Guid? UserId => Guid.TryParse(Principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
    Guid? OrganizationId => Guid.TryParse(Principal.FindFirstValue(OperatorClaims.OrganizationId), out var id) ? id : null;
    string? OrganizationCode => Principal.FindFirstValue(OperatorClaims.OrganizationCode);
    string? Role => Principal.FindFirstValue(ClaimTypes.Role);
    string? Email => Principal.FindFirstValue(ClaimTypes.Email) ?? Principal.FindFirstValue(ClaimTypes.Name);
    string? DisplayName => Principal.FindFirstValue(OperatorClaims.DisplayName);
    bool IsInRole(params string[] roles) => Role is { } r && roles.Contains(r);
}

/// <summary>
/// The request's user comes from HttpContext; a Blazor circuit has no HttpContext after it starts, so
/// <see cref="CircuitUserHandler"/> sets the circuit's user here.
/// </summary>
public sealed class CurrentUser(IHttpContextAccessor http) : ICurrentUser
{
    private static readonly ClaimsPrincipal Anonymous = new(new ClaimsIdentity());
    private ClaimsPrincipal? _principal;

    public ClaimsPrincipal Principal => _principal ?? http.HttpContext?.User ?? Anonymous;

    public void Set(ClaimsPrincipal principal) => _principal = principal;
}

/// <summary>A fixed user, for seeding, benchmarks, tests and background work.</summary>
public sealed class FixedUser(ClaimsPrincipal principal) : ICurrentUser
{
    public ClaimsPrincipal Principal { get; } = principal;

    public static FixedUser For(Guid organizationId, Guid userId, string role, string email = "system@operator.local", string orgCode = "") =>
        new(new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, userId.ToString()),
            new Claim(OperatorClaims.OrganizationId, organizationId.ToString()),
            new Claim(OperatorClaims.OrganizationCode, orgCode),
            new Claim(ClaimTypes.Role, role),
            new Claim(ClaimTypes.Email, email),
            new Claim(ClaimTypes.Name, email),
            new Claim(OperatorClaims.DisplayName, email),
        ], "fixed")));

    public static readonly FixedUser Nobody = new(new ClaimsPrincipal(new ClaimsIdentity()));
}
