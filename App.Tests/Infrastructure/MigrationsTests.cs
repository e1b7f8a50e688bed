using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Tests.Infrastructure;

/// <summary>
/// Both migration sets keep up with the model, and database/ holds exactly the SQL they generate.
/// To refresh database/ after adding a migration: OPERATOR_WRITE_SQL=1 dotnet test --filter MigrationsTests
/// </summary>
public sealed class MigrationsTests
{
    public static TheoryData<DatabaseProvider> Providers => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres];

    private static OperatorDb Context(DatabaseProvider provider) => OperatorDbFactory.Create(
        OperatorDbFactory.BuildOptions(provider, provider == DatabaseProvider.Sqlite ? "Data Source=:memory:" : "Host=localhost;Database=unused"),
        provider, FixedUser.Nobody);

    [Theory]
    [MemberData(nameof(Providers))]
    public void Migrations_are_not_behind_the_model(DatabaseProvider provider)
    {
        using var db = Context(provider);
        Assert.False(db.Database.HasPendingModelChanges(), $"The {provider} migrations are behind the model: run dotnet ef migrations add for that context.");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void The_sql_in_database_folder_is_what_the_migrations_generate(DatabaseProvider provider)
    {
        using var db = Context(provider);
        // PostgreSQL gets an idempotent script (safe to run on any version); SQLite cannot, so it gets the plain one.
        var options = provider == DatabaseProvider.Postgres ? MigrationsSqlGenerationOptions.Idempotent : MigrationsSqlGenerationOptions.Default;
        var script = db.GetService<IMigrator>().GenerateScript(options: options).ReplaceLineEndings("\n");
        var file = Path.Combine(RepoRoot(), "database", $"{provider.ToString().ToLowerInvariant()}.sql");
        if (Environment.GetEnvironmentVariable("OPERATOR_WRITE_SQL") == "1")
        {
            File.WriteAllText(file, script);
        }
        Assert.True(File.Exists(file), $"{file} is missing: run OPERATOR_WRITE_SQL=1 dotnet test --filter MigrationsTests");
        Assert.True(script == File.ReadAllText(file).ReplaceLineEndings("\n"), $"{file} is stale: run OPERATOR_WRITE_SQL=1 dotnet test --filter MigrationsTests");
    }

    [Fact]
    public async Task A_sqlite_database_migrates_from_empty_and_the_model_matches_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"operator-migrate-{Guid.NewGuid():N}.db");
        await using var db = OperatorDbFactory.Create(OperatorDbFactory.BuildOptions(DatabaseProvider.Sqlite, $"Data Source={path}"), DatabaseProvider.Sqlite, FixedUser.Nobody);
        await db.Database.MigrateAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(0, await db.Organizations.CountAsync());
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Operator.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Operator.sln not found above the test folder.");
    }
}
