using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Operator.Infrastructure.Auth;

namespace Operator.Tests.Support;

public static class TestDatabases
{
    /// <summary>
    /// A new, empty PostgreSQL database on the server named by OPERATOR_TEST_PG. The README's test command starts
    /// that server; without it the PostgreSQL tests fail loudly instead of skipping.
    /// </summary>
    public static string NewPostgresDatabase()
    {
        var server = Environment.GetEnvironmentVariable("OPERATOR_TEST_PG")
            ?? throw new InvalidOperationException("OPERATOR_TEST_PG is not set: run the tests with ./test.sh, which starts PostgreSQL.");
        var name = $"operator_test_{Guid.NewGuid():N}";
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE \"{name}\"";
            command.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }
}

public static class DemoUsers
{
    public const string Viewer = "viewer@ma01.demo";
    public const string Operator = "operator@ma01.demo";
    public const string Inspector = "inspector@ma01.demo";
    public const string Manager = "manager@ma01.demo";
    public const string Admin = "admin@ma01.demo";
    public const string OtherAdmin = "admin@ac01.demo";

    public static readonly string[] All = [Viewer, Operator, Inspector, Manager, Admin];

    public static async Task<ClaimsPrincipal> PrincipalAsync(IServiceProvider services, string email)
    {
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No demo user {email}");
        var factory = services.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>();
        return await factory.CreateAsync(user);
    }
}
