using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Infrastructure.Auth;

/// <summary>One data-protection key of the deployment's key ring, as the key manager writes it.</summary>
public sealed class DataProtectionKey
{
    public int Id { get; set; }
    public string? FriendlyName { get; set; }
    public required string Xml { get; set; }
}

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> b)
    {
        b.ToTable("DataProtectionKeys");
        b.Property(k => k.FriendlyName).HasMaxLength(200);
    }
}

/// <summary>
/// Keeps the key ring that protects bearer tokens, cookies and antiforgery tokens in the app's database, so they
/// survive restarts and every instance of one deployment reads and writes the same keys (nothing that must be
/// exact lives in one process or one machine's home folder). The keys are stored as the key manager hands them
/// over; whoever can read the database can read them, as with the rest of the deployment's secrets in it.
/// </summary>
public sealed class DatabaseXmlRepository(DatabaseSettings database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = OperatorDbFactory.Create(database.Options, database.Provider, FixedUser.Nobody);
        return db.Set<DataProtectionKey>().AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList()
            .Select(xml => XElement.Parse(xml)).ToList().AsReadOnly();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var db = OperatorDbFactory.Create(database.Options, database.Provider, FixedUser.Nobody);
        db.Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}

public static class DatabaseKeyRing
{
    public const string DefaultApplicationName = "Operator";

    /// <summary>
    /// The key ring in the database and the deployment's application name (<c>DataProtection:ApplicationName</c>):
    /// protected payloads carry it, so a deployment refuses another's tokens and cookies even where they share keys.
    /// </summary>
    public static IServiceCollection AddDatabaseKeyRing(this IServiceCollection services)
    {
        services.AddDataProtection();
        // Read when the options are first used: the configuration is complete only once the host is built.
        services.AddOptions<DataProtectionOptions>().Configure<IConfiguration>((o, config) =>
            o.ApplicationDiscriminator = config["DataProtection:ApplicationName"] is { Length: > 0 } name ? name : DefaultApplicationName);
        services.AddSingleton<DatabaseXmlRepository>();
        services.AddOptions<KeyManagementOptions>().Configure<DatabaseXmlRepository>((o, repository) => o.XmlRepository = repository);
        return services;
    }
}
