using System.Linq.Expressions;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Tenancy;

namespace Operator.Infrastructure.Data;

/// <summary>
/// The one model. Features add their entity configurations next to their code; this class picks them up and
/// applies the organization filter to every <see cref="ITenantOwned"/> entity, so no feature can forget it.
/// Provider-specific subclasses exist only to carry their own migrations.
/// </summary>
public abstract class OperatorDb(DbContextOptions options, ICurrentUser currentUser) : IdentityUserContext<AppUser, Guid>(options)
{
    /// <summary>The caller's organization. With none, tenant-owned queries return nothing (fail closed).</summary>
    public Guid? TenantId => currentUser.OrganizationId;

    public ICurrentUser Caller => currentUser;

    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<Counter> Counters => Set<Counter>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(OperatorDb).Assembly);
        var provider = this is PostgresOperatorDb ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
        foreach (var type in typeof(OperatorDb).Assembly.GetTypes()
                     .Where(t => typeof(IProviderModelConfiguration).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
                     .OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            ((IProviderModelConfiguration)Activator.CreateInstance(type, nonPublic: true)!).Configure(builder, provider);
        }

        foreach (var entity in builder.Model.GetEntityTypes().Where(e => typeof(ITenantOwned).IsAssignableFrom(e.ClrType) && e.BaseType is null))
        {
            // e => (Guid?)e.OrganizationId == this.TenantId, parameterized per context instance by EF.
            var row = Expression.Parameter(entity.ClrType, "e");
            var body = Expression.Equal(
                Expression.Convert(Expression.Property(row, nameof(ITenantOwned.OrganizationId)), typeof(Guid?)),
                Expression.Property(Expression.Constant(this), nameof(TenantId)));
            builder.Entity(entity.ClrType).HasQueryFilter(Expression.Lambda(body, row));
            builder.Entity(entity.ClrType).HasIndex(nameof(ITenantOwned.OrganizationId));
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        // Every timestamp is UTC; SQLite hands DateTime back unspecified, so say so on the way out.
        configuration.Properties<DateTime>().HaveConversion<UtcConverter>();
        configuration.Properties<DateTime?>().HaveConversion<NullableUtcConverter>();
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardChanges();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardChanges();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>
    /// New tenant rows get the caller's organization; a change to another organization's row, and any update or
    /// delete of an audit entry or a signature, is a bug and stops the save.
    /// </summary>
    private void GuardChanges()
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.Entity is AuditEntry && entry.State is EntityState.Modified or EntityState.Deleted)
            {
                throw new InvalidOperationException("The audit trail is append-only.");
            }
            if (entry.Entity is Signatures.ElectronicSignature && entry.State is EntityState.Modified or EntityState.Deleted)
            {
                throw new InvalidOperationException("Electronic signatures are never changed or removed.");
            }
            if (entry.Entity is ITenantOwned owned && entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            {
                if (owned.OrganizationId == Guid.Empty && entry.State == EntityState.Added && TenantId is { } tenant)
                {
                    owned.OrganizationId = tenant;
                }
                if (TenantId is { } current && owned.OrganizationId != current)
                {
                    throw new InvalidOperationException($"{entry.Metadata.ClrType.Name} belongs to another organization.");
                }
            }
        }
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v == null ? v : v.Value.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.Value.ToUniversalTime(), DateTimeKind.Utc),
        v => v == null ? v : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));
}

public sealed class SqliteOperatorDb(DbContextOptions options, ICurrentUser currentUser) : OperatorDb(options, currentUser);

public sealed class PostgresOperatorDb(DbContextOptions options, ICurrentUser currentUser) : OperatorDb(options, currentUser);
