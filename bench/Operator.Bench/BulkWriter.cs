using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Operator.Infrastructure.Data;

namespace Operator.Bench;

/// <summary>
/// Inserts rows without the change tracker, driven by the EF model (table, columns, type mappings and value
/// converters), so a new entity needs no code here. SQLite: one prepared INSERT reused for every row. PostgreSQL:
/// binary COPY. Entity types the model maps in ways this does not cover (shadow properties, inheritance, owned or
/// complex types, store-generated keys) report <see cref="Supports"/> false and go through SaveChanges instead.
/// </summary>
internal static partial class BulkWriter
{
    public static bool Supports(IEntityType entity) =>
        entity.BaseType is null
        && !entity.GetDerivedTypes().Any()
        && !entity.IsOwned()
        && !entity.GetComplexProperties().Any()
        && !entity.GetNavigations().Any(n => n.TargetEntityType.IsOwned())
        && entity.GetTableName() is not null
        && entity.GetProperties().All(p => !p.IsShadowProperty()
            && !(p.IsPrimaryKey() && p.ValueGenerated != ValueGenerated.Never && p.ClrType != typeof(Guid)));

    public static async Task WriteAsync<T>(OperatorDb db, DatabaseProvider provider, IEntityType entity, IReadOnlyList<T> rows, CancellationToken ct)
        where T : class
    {
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        // Computed columns (the holds' PostgreSQL search text) are the database's to fill.
        var columns = entity.GetProperties()
            .Where(p => p.GetComputedColumnSql() is null)
            .Select(p => new Column(p, p.GetColumnName(table)!, (RelationalTypeMapping)p.GetRelationalTypeMapping()))
            .ToList();
        var qualified = table.Schema is null ? Quote(table.Name) : $"{Quote(table.Schema)}.{Quote(table.Name)}";
        var columnList = string.Join(", ", columns.Select(c => Quote(c.Name)));
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();

        if (provider == DatabaseProvider.Postgres)
        {
            var names = columns.Select(c => Facets().Replace(c.Property.GetColumnType(), "")).ToArray();
            await using var import = await ((NpgsqlConnection)connection).BeginBinaryImportAsync(
                $"COPY {qualified} ({columnList}) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var row in rows)
            {
                await import.StartRowAsync(ct);
                for (var i = 0; i < columns.Count; i++)
                {
                    var value = columns[i].Read(row);
                    if (value is null) await import.WriteNullAsync(ct);
                    else await import.WriteAsync(value, names[i], ct);
                }
            }
            await import.CompleteAsync(ct);
            return;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {qualified} ({columnList}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        var parameters = columns.Select((c, i) => c.Mapping.CreateParameter(command, "@p" + i, null, c.Property.IsNullable)).ToArray();
        command.Parameters.AddRange(parameters);
        await command.PrepareAsync(ct);
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                parameters[i].Value = columns[i].Read(row) ?? DBNull.Value;
            }
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    [GeneratedRegex(@"\s*\(.*\)\s*$")]
    private static partial Regex Facets();

    private sealed class Column(IProperty property, string name, RelationalTypeMapping mapping)
    {
        private readonly IClrPropertyGetter _getter = property.GetGetter();

        public IProperty Property { get; } = property;
        public string Name { get; } = name;
        public RelationalTypeMapping Mapping { get; } = mapping;

        /// <summary>The value as the database stores it: the property's converter, then the mapping's own.</summary>
        public object? Read(object row)
        {
            var value = _getter.GetClrValueUsingContainingEntity(row);
            if (value is null) return null;
            if (Property.GetValueConverter() is { } converter) value = converter.ConvertToProvider(value);
            else if (Mapping.Converter is { } mappingConverter) value = mappingConverter.ConvertToProvider(value);
            return value;
        }
    }
}
