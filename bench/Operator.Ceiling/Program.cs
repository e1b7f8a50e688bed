// What `dotnet new web` gives, with the app's trivial endpoint's path and answer: the ceiling of this machine for
// ASP.NET Core, measured in the same run as Operator (bench/ceiling.sh).
var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/api/bench/ping", () => Results.Json(new { ok = true }));
app.Run();
