using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Holds;
using Operator.Features.Serialization;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Signatures;
using Operator.Tests.Features.Holds;
using Operator.Tests.Features.Serialization;
using Operator.Tests.Support;
using static Operator.Tests.Features.Serialization.WorkflowKit;

namespace Operator.Tests.Infrastructure;

/// <summary>
/// Electronic signatures on decisions (21 CFR Part 11 §11.50, §11.70, §11.200), through the real API on SQLite and
/// PostgreSQL: required by default and refused without one in each group's shape, optional when the organization turns
/// them off; a wrong password is refused and counts toward lockout; a signature verifies only for its record as signed.
/// </summary>
public abstract class SignatureTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    private const string Base = "/api/v1/serialization";
    private const string SettingPath = "/api/admin/organization/signatures";

    private async Task<(Guid Part, Guid Vendor, HttpClient Manager)> VendorSerialAsync()
    {
        var (part, _) = await NewPartAsync(app);
        var vendor = await ReceiveAsync(await app.ClientForAsync(DemoUsers.Operator), part, LineageKit.Number("VS"));
        return (part, vendor, await app.ClientForAsync(DemoUsers.Manager));
    }

    /// <summary>A pending uniqueness conflict: two units of one part with one number, the second registered.</summary>
    private async Task<(string Number, Guid Part)> ConflictAsync()
    {
        var (part, _) = await NewPartAsync(app);
        var number = LineageKit.Number("UQ");
        var twins = await LineageKit.UnitsAsync(app, 2, _ => number, part);
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var registered = await op.PostAsJsonAsync($"{Base}/uniqueness/register", new { serialNumber = number, partId = part, scope = new[] { "PART_TYPE" }, serialId = twins[0] });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        return (number, part);
    }

    private async Task SetRequiredAsync(bool required)
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var response = await admin.PutAsJsonAsync(SettingPath, new { signaturesRequired = required });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(required, (await Golden.BodyAsync(response))["signaturesRequired"]!.GetValue<bool>());
    }

    private static async Task AssertHoldsRefusalAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await Golden.AssertBodyAsync(response, $$"""
            {"error":"Invalid request data","details":[{"code":"custom","path":["signature"],"message":{{System.Text.Json.JsonSerializer.Serialize(SignatureService.Required)}}}]}
            """);
    }

    private static async Task AssertEnvelopeRefusalAsync(HttpResponseMessage response)
    {
        var error = await FailsAsync(response, HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["signature"], Fields(error));
        Assert.Equal(SignatureService.Required, error["details"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Each_decision_is_refused_without_a_signature_when_required_and_works_unsigned_when_the_setting_is_off()
    {
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var toRelease = HoldsKit.Id(await HoldsKit.CreateAsync(app, manager));
        var toDispose = HoldsKit.Id(await HoldsKit.CreateAsync(app, manager));
        var (_, accept, _) = await VendorSerialAsync();
        var (_, reject, _) = await VendorSerialAsync();
        var (number, part) = await ConflictAsync();
        var resolve = new { serialNumber = number, partId = part, conflictResolution = "KEEP_BOTH", resolutionReason = "Both are real" };

        // Required (the default): the documented requests, without a signature, are refused and change nothing.
        await AssertHoldsRefusalAsync(await manager.PatchAsJsonAsync($"{HoldsKit.Path}/{toRelease}/release", new { disposition = "release" }));
        await AssertHoldsRefusalAsync(await manager.DeleteAsync($"{HoldsKit.Path}/{toDispose}"));
        await AssertEnvelopeRefusalAsync(await manager.PostAsync($"{Base}/vendor/{accept}/accept", null));
        await AssertEnvelopeRefusalAsync(await manager.PostAsJsonAsync($"{Base}/vendor/{reject}/reject", new { rejectionReason = "Damaged label" }));
        await AssertEnvelopeRefusalAsync(await manager.PostAsJsonAsync($"{Base}/uniqueness/conflict/resolve", resolve));
        foreach (var id in new[] { toRelease, toDispose })
        {
            Assert.Equal("active", (await manager.GetFromJsonAsync<JsonNode>($"{HoldsKit.Path}/{id}"))!["hold"]!["status"]!.GetValue<string>());
        }
        await using (var db = app.RawDb())
        {
            Assert.Equal(2, await db.Set<VendorSerial>().IgnoreQueryFilters().CountAsync(v => (v.Id == accept || v.Id == reject) && v.Status == VendorSerialStatus.Pending));
            Assert.Equal(0, await db.Set<ElectronicSignature>().IgnoreQueryFilters().CountAsync(s => s.RecordId == toRelease || s.RecordId == toDispose));
        }

        // Off: the same documented requests work as they did before signatures existed, and nothing is signed.
        await SetRequiredAsync(false);
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await manager.PatchAsJsonAsync($"{HoldsKit.Path}/{toRelease}/release", new { disposition = "release" })).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await manager.DeleteAsync($"{HoldsKit.Path}/{toDispose}")).StatusCode);
            await OkAsync(await manager.PostAsync($"{Base}/vendor/{accept}/accept", null));
            await OkAsync(await manager.PostAsJsonAsync($"{Base}/vendor/{reject}/reject", new { rejectionReason = "Damaged label" }));
            await OkAsync(await manager.PostAsJsonAsync($"{Base}/uniqueness/conflict/resolve", resolve));
            await using var db = app.RawDb();
            Assert.Equal(0, await db.Set<ElectronicSignature>().IgnoreQueryFilters().CountAsync(s => s.RecordId == toRelease || s.RecordId == toDispose || s.RecordId == accept.ToString() || s.RecordId == reject.ToString()));
        }
        finally
        {
            await SetRequiredAsync(true);
        }
    }

    [Fact]
    public async Task A_signed_decision_stores_its_signature_in_the_decision_and_its_audit_entry_names_it()
    {
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var hold = HoldsKit.Id(await HoldsKit.CreateAsync(app, manager));
        Assert.Equal(HttpStatusCode.OK, (await HoldsKit.ReleaseAsync(manager, hold, "scrap", "Metal found")).StatusCode);
        var (_, reject, _) = await VendorSerialAsync();
        // A rejection's signature needs a comment.
        var noComment = await manager.PostSignedAsync($"{Base}/vendor/{reject}/reject", new { rejectionReason = "Damaged label" }, SignatureMeanings.Rejected);
        Assert.Equal(["signature.comment"], Fields(await FailsAsync(noComment, HttpStatusCode.BadRequest, "VALIDATION_ERROR")));
        await OkAsync(await manager.PostSignedAsync($"{Base}/vendor/{reject}/reject", new { rejectionReason = "Damaged label" }, SignatureMeanings.Rejected, "Label unreadable"));

        await using var db = app.RawDb();
        var signature = await db.Set<ElectronicSignature>().IgnoreQueryFilters().SingleAsync(s => s.RecordId == hold);
        Assert.Equal((HoldAudit.EntityType, HoldAudit.ActionReleased, "Max Manager", "manager@ma01.demo", SignatureMeanings.Approved),
            (signature.RecordType, signature.Action, signature.PrintedName, signature.UserEmail, signature.Meaning));
        var entry = await db.AuditEntries.IgnoreQueryFilters().SingleAsync(a => a.EntityId == hold && a.Action == HoldAudit.ActionReleased);
        Assert.Contains($"\"signature_id\":\"{signature.Id}\"", entry.After);
        var rejected = await db.Set<ElectronicSignature>().IgnoreQueryFilters().SingleAsync(s => s.RecordId == reject.ToString());
        Assert.Equal((SignatureMeanings.Rejected, "Label unreadable"), (rejected.Meaning, rejected.Comment));
        // Signatures are never changed.
        rejected.Comment = "edited";
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task A_wrong_password_is_refused_in_the_groups_shape_counts_toward_lockout_and_a_locked_out_user_cannot_sign()
    {
        var email = $"signer-{Guid.NewGuid():N}"[..15] + "@ma01.demo";
        Guid userId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = new AppUser
            {
                UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Sam Signer", Role = Roles.QaManager,
                OrganizationId = await app.OrganizationIdAsync("MA01"), CreatedAt = DateTime.UtcNow,
            };
            Assert.True((await users.CreateAsync(user, DemoData.Password)).Succeeded);
            userId = user.Id;
        }
        var signer = await app.ClientForAsync(email);
        var hold = HoldsKit.Id(await HoldsKit.CreateAsync(app, signer));
        var (_, vendor, _) = await VendorSerialAsync();
        var wrong = Sign.Signature(password: "not-the-password");

        var holdRefusal = await signer.PatchAsJsonAsync($"{HoldsKit.Path}/{hold}/release", new JsonObject { ["disposition"] = "release", ["signature"] = wrong });
        Assert.Equal(HttpStatusCode.Unauthorized, holdRefusal.StatusCode);
        await Golden.AssertBodyAsync(holdRefusal, $$"""{"error":"{{SignatureService.WrongPassword}}"}""");
        Assert.Equal(1, await FailedCountAsync(userId));

        var vendorRefusal = await FailsAsync(await signer.PostAsJsonAsync($"{Base}/vendor/{vendor}/accept", new JsonObject { ["signature"] = Sign.Signature(password: "not-the-password") }),
            HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal(SignatureService.WrongPassword, vendorRefusal["message"]!.GetValue<string>());
        Assert.Equal(2, await FailedCountAsync(userId));

        // The configured count (5) of failures locks the account: from then on not even the right password signs.
        for (var i = 3; i <= 5; i++)
        {
            var refused = await signer.PatchAsJsonAsync($"{HoldsKit.Path}/{hold}/release", new JsonObject { ["disposition"] = "release", ["signature"] = Sign.Signature(password: "still-wrong") });
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        await using (var db = app.RawDb())
        {
            var user = await db.Users.SingleAsync(u => u.Id == userId);
            Assert.True(user.LockoutEnd > app.Clock.GetUtcNow(), "five failed signatures lock the account");
        }
        var locked = await signer.PatchAsJsonAsync($"{HoldsKit.Path}/{hold}/release", Sign.Body(new { disposition = "release" }));
        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        Assert.Equal("active", (await (await app.ClientForAsync(DemoUsers.Manager)).GetFromJsonAsync<JsonNode>($"{HoldsKit.Path}/{hold}"))!["hold"]!["status"]!.GetValue<string>());
        await using (var db = app.RawDb())
        {
            Assert.False(await db.Set<ElectronicSignature>().IgnoreQueryFilters().AnyAsync(s => s.UserId == userId));
        }
    }

    private async Task<int> FailedCountAsync(Guid userId)
    {
        await using var db = app.RawDb();
        return await db.Users.Where(u => u.Id == userId).Select(u => u.AccessFailedCount).SingleAsync();
    }

    [Fact]
    public async Task A_signature_verifies_for_its_record_and_not_when_moved_to_another_or_when_the_record_is_altered()
    {
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var first = HoldsKit.Id(await HoldsKit.CreateAsync(app, manager));
        var second = HoldsKit.Id(await HoldsKit.CreateAsync(app, manager));
        Assert.Equal(HttpStatusCode.OK, (await HoldsKit.ReleaseAsync(manager, first, "release", "Checked")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await HoldsKit.ReleaseAsync(manager, second, "release", "Checked")).StatusCode);
        // Disposing later changes none of the release's facts: its signature still verifies, beside the disposal's.
        Assert.Equal(HttpStatusCode.NoContent, (await manager.SignedDeleteAsync($"{HoldsKit.Path}/{first}")).StatusCode);
        var (_, vendor, _) = await VendorSerialAsync();
        await OkAsync(await manager.PostSignedAsync($"{Base}/vendor/{vendor}/accept", null));
        var (number, part) = await ConflictAsync();
        await OkAsync(await manager.PostSignedAsync($"{Base}/uniqueness/conflict/resolve",
            new { serialNumber = number, partId = part, conflictResolution = "KEEP_BOTH", resolutionReason = "Both are real" }, SignatureMeanings.Reviewed));

        Guid release, disposal, accepted, resolved;
        await using (var db = app.RawDb())
        {
            var signatures = await db.Set<ElectronicSignature>().IgnoreQueryFilters().AsNoTracking().ToListAsync();
            release = signatures.Single(s => s.RecordId == first && s.Action == HoldAudit.ActionReleased).Id;
            disposal = signatures.Single(s => s.RecordId == first && s.Action == HoldAudit.ActionDisposed).Id;
            accepted = signatures.Single(s => s.RecordId == vendor.ToString()).Id;
            var conflict = await db.Set<UniquenessConflict>().IgnoreQueryFilters().Where(c => c.SerialNumber == number).Select(c => c.Id).SingleAsync();
            resolved = signatures.Single(s => s.RecordType == UniquenessSignatures.Type && s.RecordId == conflict.ToString()).Id;
        }
        foreach (var id in new[] { release, disposal, accepted, resolved })
        {
            Assert.True((await VerifyAsync(id)).Valid, $"signature {id} verifies");
        }

        // Moved: the release signature of the first hold put on the second (same disposition, notes and signer) does not verify.
        await using (var db = app.RawDb())
        {
            await db.Set<ElectronicSignature>().IgnoreQueryFilters().Where(s => s.Id == release).ExecuteUpdateAsync(s => s.SetProperty(x => x.RecordId, second));
        }
        Assert.False((await VerifyAsync(release)).Valid);
        await using (var db = app.RawDb())
        {
            await db.Set<ElectronicSignature>().IgnoreQueryFilters().Where(s => s.Id == release).ExecuteUpdateAsync(s => s.SetProperty(x => x.RecordId, first));
        }
        Assert.True((await VerifyAsync(release)).Valid);

        // Altered: the signed record's decisive content changed after signing.
        await using (var db = app.RawDb())
        {
            await db.Set<QualityHold>().IgnoreQueryFilters().Where(h => h.Id == Guid.Parse(first)).ExecuteUpdateAsync(s => s.SetProperty(h => h.Disposition, "scrap"));
            await db.Set<VendorSerial>().IgnoreQueryFilters().Where(v => v.Id == vendor).ExecuteUpdateAsync(s => s.SetProperty(v => v.VendorName, "Someone else"));
        }
        Assert.False((await VerifyAsync(release)).Valid);
        Assert.True((await VerifyAsync(disposal)).Valid, "the disposal signed no disposition");
        Assert.False((await VerifyAsync(accepted)).Valid);
    }

    private Task<SignatureCheck> VerifyAsync(Guid signature) =>
        app.AsUserAsync(DemoUsers.Manager, async services => (await services.GetRequiredService<SignatureService>().VerifyAsync(signature)).Value);
}

public sealed class SqliteSignatureTests(OperatorFactory app) : SignatureTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

public sealed class PostgresSignatureTests(PostgresOperatorFactory app) : SignatureTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;
