using Microsoft.EntityFrameworkCore;

namespace Operator.Infrastructure.Data;

/// <summary>
/// Model configuration that differs by provider (an index method, an extension, a column one provider needs and the
/// other does not). <see cref="OperatorDb"/> applies every implementation in the assembly after the shared
/// configurations; each provider's context builds its own model, so each migrations set gets its own part.
/// </summary>
public interface IProviderModelConfiguration
{
    void Configure(ModelBuilder builder, DatabaseProvider provider);
}

/// <summary>
/// Database structures the EF model cannot describe, such as a SQLite FTS5 table and the triggers that keep it in step
/// with its table. <see cref="DatabaseSetup.MigrateAsync"/> runs every registered extension after the migrations on
/// each start; an extension checks cheaply whether its structures are present and complete and builds them only when
/// they are not (a fresh database, or a table an EF migration rebuilt, which drops its triggers).
/// </summary>
public interface ISchemaExtension
{
    Task EnsureAsync(OperatorDb db, CancellationToken ct);
}
