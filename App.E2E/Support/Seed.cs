using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.E2E.Support;

/// <summary>Records a journey needs before it starts, made through the app's own services as the named user.</summary>
public static class Seed
{
    /// <summary>A work order of MA01's tote bag on its 5-step path, made through the service as the admin would.</summary>
    public static async Task<(Guid Id, string Number)> NewWorkOrderAsync(AppServer app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await SignInAsync(scope.ServiceProvider, "admin@ma01.demo");
        var db = scope.ServiceProvider.GetRequiredService<OperatorDb>();
        var part = await db.Set<Part>().Where(p => p.Number == "P-1001").Select(p => p.Id).SingleAsync();
        var path = await db.Set<ProcessPath>().Where(p => p.Code == "PATH-BAG").Select(p => p.Id).SingleAsync();
        var created = await scope.ServiceProvider.GetRequiredService<MasterDataService>().CreateWorkOrderAsync(new CreateWorkOrderRequest(null, part, path, 10, null));
        return (created.Value.Id, created.Value.Number);
    }

    public static async Task<IReadOnlyList<string>> NewSerialsAsync(AppServer app, int count, (Guid Id, string Number)? of = null)
    {
        var order = of ?? await NewWorkOrderAsync(app);
        await using var scope = app.Services.CreateAsyncScope();
        await SignInAsync(scope.ServiceProvider, "operator@ma01.demo");
        var result = await scope.ServiceProvider.GetRequiredService<SerialBatchService>().BatchCreateAsync(new BatchCreateSerialsRequest(order.Id.ToString(), count));
        return result.Value.Serials.Select(s => s.SerialNumber).ToList();
    }

    /// <summary>Makes <paramref name="email"/> the current user of a service scope, as a signed-in page would be.</summary>
    public static async Task SignInAsync(IServiceProvider services, string email)
    {
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException(email);
        var principal = await services.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>().CreateAsync(user);
        services.GetRequiredService<CurrentUser>().Set(principal);
    }
}
