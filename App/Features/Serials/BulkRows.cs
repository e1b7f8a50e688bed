using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Operator.Infrastructure.Data;

namespace Operator.Features.Serials;

/// <summary>
/// Writes many new rows of one entity type inside the caller's open transaction, without the change tracker, driven
/// by the EF model (table, columns, type mappings, value converters), so it writes exactly what SaveChanges would.
/// SQLite: one prepared INSERT reused for every row; PostgreSQL: binary COPY. Batch create needs it: SaveChanges runs
/// at about 4-6k rows/s on the 2-core machines this is built on (bench/README.md), so 10,000 serials with their step
/// events and certificate attachments (30,000 rows) took 5-8 s; this path writes them in well under a second. It is
/// the same technique as bench/Operator.Bench/BulkWriter.cs. Rows must be complete (keys and organization set): the
/// context's tenant guard does not see them, so the caller sets <c>OrganizationId</c> from the caller's tenant.
/// </summary>
internal static partial class BulkRows
{
    public static async Task InsertAsync<T>(OperatorDb db, IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties()
            .Select(p => new Column(p, p.GetColumnName(table)!, (RelationalTypeMapping)p.GetRelationalTypeMapping()))
            .ToList();
        var qualified = table.Schema is null ? Quote(table.Name) : $"{Quote(table.Schema)}.{Quote(table.Name)}";
        var columnList = string.Join(", ", columns.Select(c => Quote(c.Name)));
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Bulk rows are written inside the caller's transaction.");
        var connection = transaction.Connection!;

        if (connection is NpgsqlConnection npgsql)
        {
            var types = columns.Select(c => Facets().Replace(c.Property.GetColumnType(), "")).ToArray();
            await using var import = await npgsql.BeginBinaryImportAsync($"COPY {qualified} ({columnList}) FROM STDIN (FORMAT BINARY)", ct);
            // Synchronous writes: they fill Npgsql's buffer and only block when it is flushed; an await per value
            // would cost more than the value itself.
            foreach (var row in rows)
            {
                ct.ThrowIfCancellationRequested();
                import.StartRow();
                for (var i = 0; i < columns.Count; i++)
                {
                    var value = columns[i].Read(row);
                    if (value is null) import.WriteNull();
                    else import.Write(value, types[i]);
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
        command.Prepare();
        // SQLite runs in process: its async methods complete synchronously anyway, minus the overhead.
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            for (var i = 0; i < columns.Count; i++)
            {
                parameters[i].Value = columns[i].Read(row) ?? DBNull.Value;
            }
            command.ExecuteNonQuery();
        }
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    [GeneratedRegex(@"\s*\(.*\)\s*$")]
    private static partial Regex Facets();

    private sealed class Column(IProperty property, string name, RelationalTypeMapping mapping)
    {
        private readonly IClrPropertyGetter _getter = property.GetGetter();
        private readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? _converter = property.GetValueConverter() ?? mapping.Converter;

        public IProperty Property { get; } = property;
        public string Name { get; } = name;
        public RelationalTypeMapping Mapping { get; } = mapping;

        /// <summary>The value as the database stores it: the property's converter, else the mapping's own.</summary>
        public object? Read(object row)
        {
            var value = _getter.GetClrValueUsingContainingEntity(row);
            return value is null || _converter is null ? value : _converter.ConvertToProvider(value);
        }
    }
}
