using Microsoft.AspNetCore.Http.Features;
using Operator.Components;
using Operator.Components.Account;
using Operator.Features.Admin;
using Operator.Features.Containment;
using Operator.Features.Find;
using Operator.Features.Holds;
using Operator.Features.Home;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Features.Station;
using Operator.Features.Verification;
using Operator.Features.Serialization;
using Operator.Infrastructure;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Outbox;
using Operator.Infrastructure.Signatures;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);
// The demo organizations' signing secrets, read only in demo mode (Demo:Seed); see DemoVerificationKeys.
builder.Configuration.AddJsonFile("appsettings.Demo.json", optional: true);
// Serve package assets (MudBlazor, Blazor) from the build output in every environment, not only Development.
builder.WebHost.UseStaticWebAssets();
builder.ServeStaticAssetsAsBuilt();
var services = builder.Services;
var config = builder.Configuration;

// Must come before AddProblemDetails' default writer: API requests get their group's JSON shape.
services.AddSingleton<IProblemDetailsWriter, ApiProblemWriter>();
services.AddProblemDetails();
services.AddExceptionHandler<ApiExceptionHandler>();

services.AddOperatorPlatform(config, builder.Environment);
services.AddOperatorData(config, builder.Environment.ContentRootPath);
services.AddOperatorOutbox();
services.AddOperatorAuth(config);
services.AddOperatorSignatures();

// Features: one line each.
services.AddAdminFeature();
services.AddMasterDataFeature();
services.AddSerialsFeature(config);
services.AddSerializationFeature(config);
services.AddHoldsFeature();
services.AddContainFeature();
services.AddVerificationFeature(config);
services.AddDashboardFeature();
services.AddImpactFeature();
services.AddFindFeature();
services.AddStationFeature();

services.AddRazorComponents().AddInteractiveServerComponents();
services.AddMudServices();
services.AddScoped<Operator.Components.Shared.BrowserTimeZone>();

var app = builder.Build();

try
{
    await DatabaseSetup.MigrateAsync(app.Services, seedDemoData: config.GetValue("Demo:Seed", true));
}
catch (DatabaseNewerThanCodeException e)
{
    // Refuse to start (the exception ends the process with a non-zero code); say why in the log first.
    app.Logger.LogCritical("{Reason}", e.Message);
    throw;
}
await VerificationKeyCheck.WarnAsync(app.Services);

app.UseOperatorPipeline();

app.MapSessionsApi();
app.MapAdminApi();
app.MapMasterDataApi();
app.MapSerialsApi();
app.MapSerializationApi();
app.MapHoldsApi();
app.MapContainApi();
app.MapVerificationApi();
app.MapImpactApi();
app.MapFindApi();
app.MapDashboardApi();
app.MapPlatformEndpoints();
app.MapAccountEndpoints();

app.MapStaticAssets().AllowAnonymous();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
