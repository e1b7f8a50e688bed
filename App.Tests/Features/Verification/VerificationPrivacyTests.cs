using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Verification;

/// <summary>
/// The privacy policy of the spec, tested against data: every user id, email, user name and display name, every
/// internal id of the seeded and arranged rows, and the free text of the step history are collected from the database,
/// and none may appear in any answer of a battery of verifications (API and page; genuine, not active, standard mode,
/// every kind of failure).
/// </summary>
public sealed partial class VerificationPrivacyTests(VerificationFactory app) : IClassFixture<VerificationFactory>
{
    [GeneratedRegex("[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")]
    private static partial Regex AnyUuid();

    [Fact]
    public async Task No_person_and_no_internal_id_appears_in_any_answer()
    {
        await VerificationKit.SetPrivacyAsync(app, "MA01", "standard");
        var at = DateTime.UtcNow.AddHours(-3);
        var steps = new VerificationKit.Step[]
        {
            new("Cutting", StepEvents.Started, at, 0), new("Cutting", StepEvents.Completed, at.AddMinutes(20), 0),
            new("Skiving", StepEvents.Completed, at.AddMinutes(50), 1), new("Stitching", StepEvents.Scrapped, at.AddMinutes(70), 2),
        };
        var (_, genuine) = await VerificationKit.NewSerialAsync(app, steps: steps);
        var (_, scrapped) = await VerificationKit.NewSerialAsync(app, configure: s => { s.Status = SerialStatus.Scrapped; s.ScrapReason = "Dropped by Olivia Operator"; }, steps: steps);
        var (_, used) = await VerificationKit.NewSerialAsync(app, configure: s => s.Consumed = true, steps: steps);
        var sku = await VerificationKit.EnsureVerifiableAc01PartAsync(app);
        var (_, minimal) = await VerificationKit.NewSerialAsync(app, "AC01", sku, steps: steps);
        var (_, privateOne) = await VerificationKit.NewSerialAsync(app, configure: s => s.Visibility = SerialVisibility.Private, steps: steps);

        var secrets = await SecretsAsync();
        Assert.Contains("viewer@ma01.demo", secrets);
        Assert.True(secrets.Count > 100, $"Only {secrets.Count} values collected");

        var inputs = new[]
        {
            genuine, genuine.ToLowerInvariant(), scrapped, used, minimal, privateOne,
            VerificationKit.Forge(genuine), VerificationKit.BreakChecksum(genuine), "MA01-HAT-BAG-20200101-00001-0000-0", "not a code", "",
        };
        var bodies = new List<(string What, string Body)>();
        var client = app.AnonymousFrom("198.51.100.30");
        foreach (var input in inputs)
        {
            var escaped = Uri.EscapeDataString(input);
            bodies.Add(($"path {input}", await (await client.GetAsync($"{VerificationKit.VerifyPath}/{escaped}")).Content.ReadAsStringAsync()));
            bodies.Add(($"query {input}", await (await client.GetAsync($"{VerificationKit.VerifyPath}?serial={escaped}")).Content.ReadAsStringAsync()));
            bodies.Add(($"page {input}", await (await client.GetAsync($"/verify?code={escaped}")).Content.ReadAsStringAsync()));
        }
        bodies.Add(("405", await (await client.PostAsync($"{VerificationKit.VerifyPath}/{genuine}", null)).Content.ReadAsStringAsync()));

        // The battery did reach the interesting answers.
        Assert.Contains(bodies, b => b.Body.Contains("\"traceability\"", StringComparison.Ordinal));
        Assert.Contains(bodies, b => b.Body.Contains("serial_not_active", StringComparison.Ordinal));
        Assert.Contains(bodies, b => b.Body.Contains("data-result=\"genuine\"", StringComparison.Ordinal));

        foreach (var (what, body) in bodies)
        {
            foreach (var secret in secrets)
            {
                var found = secret.StartsWith(WordPrefix, StringComparison.Ordinal)
                    ? Regex.IsMatch(body, $@"\b{Regex.Escape(secret[WordPrefix.Length..])}\b", RegexOptions.IgnoreCase)
                    : body.Contains(secret, StringComparison.OrdinalIgnoreCase);
                Assert.False(found, $"{what}: the answer contains '{secret}'");
            }
            Assert.False(AnyUuid().IsMatch(body), $"{what}: the answer contains something that looks like an id: {AnyUuid().Match(body).Value}");
        }
    }

    /// <summary>Every value of the database that names a person or is an internal id, plus the history's free text.</summary>
    private async Task<HashSet<string>> SecretsAsync()
    {
        await using var db = app.RawDb();
        var values = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var user in await db.Users.IgnoreQueryFilters().ToListAsync())
        {
            values.Add(user.Id.ToString());
            values.Add(user.Id.ToString("N"));
            values.Add(user.Email!);
            values.Add(user.UserName!);
            values.Add(user.DisplayName);
            // "Oskar Operator" and its first name: a first name alone still names a person (matched as a whole word).
            foreach (var word in user.DisplayName.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !IsRoleWord(w)))
            {
                values.Add(WordPrefix + word);
            }
        }
        void Ids(IEnumerable<Guid> ids)
        {
            foreach (var id in ids)
            {
                values.Add(id.ToString());
                values.Add(id.ToString("N"));
            }
        }
        Ids(await db.Organizations.Select(o => o.Id).ToListAsync());
        Ids(await db.Set<Part>().IgnoreQueryFilters().Select(p => p.Id).ToListAsync());
        Ids(await db.Set<ProcessPath>().IgnoreQueryFilters().Select(p => p.Id).ToListAsync());
        Ids(await db.Set<ProcessStep>().IgnoreQueryFilters().Select(p => p.Id).ToListAsync());
        Ids(await db.Set<WorkOrder>().IgnoreQueryFilters().Select(p => p.Id).ToListAsync());
        Ids(await db.Set<Batch>().IgnoreQueryFilters().Select(p => p.Id).ToListAsync());
        Ids(await db.Set<Serial>().IgnoreQueryFilters().Select(p => p.Id).ToListAsync());
        Ids(await db.Set<SerialStepEvent>().IgnoreQueryFilters().Select(p => p.Id).ToListAsync());
        foreach (var note in await db.Set<SerialStepEvent>().IgnoreQueryFilters().Where(e => e.Note != null).Select(e => e.Note!).ToListAsync())
        {
            values.Add(note);
        }
        foreach (var reason in await db.Set<Serial>().IgnoreQueryFilters().Where(s => s.ScrapReason != null).Select(s => s.ScrapReason!).ToListAsync())
        {
            values.Add(reason);
        }
        return values;
    }

    private const string WordPrefix = "word:";

    // Display names are "Ines Inspector"-like; the role word is also an ordinary word ("Operator" is the product's name).
    private static bool IsRoleWord(string word) => word is "Operator" or "Admin" or "Administrator" or "Viewer" or "Manager" or "Inspector";
}
