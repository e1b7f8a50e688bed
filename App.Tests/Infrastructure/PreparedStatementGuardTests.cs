using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;
using Operator.Tests.Support;

namespace Operator.Tests.Infrastructure;

/// <summary>
/// PostgreSQL with automatic preparation: a statement the server refuses on the very execution that prepares it must not
/// break the next execution of the same SQL on that physical connection. The pool here holds one connection, so every
/// context gets the connection the failure happened on. The statements reach the database unchecked on purpose: the
/// API refuses U+0000 before that, and this is what protects every other failure (a unique violation, a division by zero).
/// </summary>
public sealed class PreparedStatementGuardTests(PostgresOperatorFactory app) : IClassFixture<PostgresOperatorFactory>
{
    private DbContextOptions OnePooledConnection()
    {
        app.CreateClient();
        var settings = app.Services.GetRequiredService<DatabaseSettings>();
        var connection = settings.Options.Extensions.OfType<RelationalOptionsExtension>().First().ConnectionString!;
        // A pool of its own (the connection string differs), with one connection in it.
        var single = new NpgsqlConnectionStringBuilder(connection) { MaxPoolSize = 1, ApplicationName = "guard-" + Guid.NewGuid().ToString("N")[..8] };
        return OperatorDbFactory.BuildOptions(DatabaseProvider.Postgres, single.ConnectionString);
    }

    private static OperatorDb Db(DbContextOptions options) => OperatorDbFactory.Create(options, DatabaseProvider.Postgres, FixedUser.Nobody);

    private static Task<int> SearchAsync(OperatorDb db, string term) =>
        db.Organizations.Where(o => o.Name.ToLower().Contains(term)).CountAsync();

    [Fact]
    public async Task A_statement_refused_while_it_is_prepared_leaves_the_connection_usable()
    {
        var options = OnePooledConnection();
        await using (var db = Db(options)) Assert.Equal(0, await SearchAsync(db, "abc"));
        await using (var db = Db(options))
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => SearchAsync(db, "a\0b"));
            Assert.Equal(PostgresErrorCodes.CharacterNotInRepertoire, refused.SqlState);
        }
        for (var i = 0; i < 5; i++)
        {
            await using var db = Db(options);
            Assert.Equal(0, await SearchAsync(db, $"abd{i}"));
        }
    }

    [Fact]
    public async Task An_error_at_execution_inside_a_transaction_leaves_the_connection_usable_after_the_rollback()
    {
        var options = OnePooledConnection();
        const string sql = "SELECT 10 / {0} AS \"Value\"";
        await using (var db = Db(options)) Assert.Equal(5, await db.Database.SqlQueryRaw<int>(sql, 2).SingleAsync());
        await using (var db = Db(options))
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            var refused = await Assert.ThrowsAsync<PostgresException>(() => db.Database.SqlQueryRaw<int>(sql, 0).SingleAsync());
            Assert.Equal(PostgresErrorCodes.DivisionByZero, refused.SqlState);
            await tx.RollbackAsync();
            // The same context goes on after its rollback, on the same connection, as a retry would.
            Assert.Equal(2, await db.Database.SqlQueryRaw<int>(sql, 5).SingleAsync());
        }
        await using (var db = Db(options))
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await Assert.ThrowsAsync<PostgresException>(() => db.Database.SqlQueryRaw<int>(sql.Replace("10", "20"), 0).SingleAsync());
            // No explicit rollback: the transaction is disposed with the context, as when a request fails.
        }
        for (var i = 1; i < 5; i++)
        {
            await using var db = Db(options);
            Assert.Equal(10 / i, await db.Database.SqlQueryRaw<int>(sql, i).SingleAsync());
            Assert.Equal(20 / i, await db.Database.SqlQueryRaw<int>(sql.Replace("10", "20"), i).SingleAsync());
        }
    }
}
