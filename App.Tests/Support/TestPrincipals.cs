using System.Security.Claims;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Tenancy;

namespace Operator.Tests.Support;

/// <summary>Made-up signed-in users for components that need only claims (no database row behind them).</summary>
public static class TestPrincipals
{
    public static ClaimsPrincipal User(string role, string name = "Test User", string org = "MA01") =>
        new(new ClaimsIdentity(FixedUser.For(Guid.NewGuid(), Guid.NewGuid(), role, "test@ma01.demo", org).Principal.Claims
            .Where(c => c.Type != OperatorClaims.DisplayName)
            .Append(new Claim(OperatorClaims.DisplayName, name)), "test"));
}
