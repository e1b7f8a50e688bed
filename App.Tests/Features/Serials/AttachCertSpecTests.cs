using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Serials;

/// <summary>
/// shared/specs/cert-attachment.md, sentence by sentence: the request, the response, every status and message, and
/// each note. Concurrency (20 identical requests) is in <see cref="SerialProviderTests{TFactory}"/>, on both providers.
/// </summary>
public sealed class AttachCertSpecTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    private async Task<(HttpClient Client, Guid UserId)> OperatorAsync() =>
        (await app.ClientForAsync(DemoUsers.Operator), await SerialsKit.UserIdAsync(app, DemoUsers.Operator));

    private async Task<Guid> StepIdAsync(string serial, int sequence)
    {
        var id = await SerialsKit.SerialIdAsync(app, serial);
        await using var db = app.RawDb();
        var pathId = await db.Set<Serial>().IgnoreQueryFilters().Where(s => s.Id == id).Select(s => s.PathId).SingleAsync();
        return await db.Set<ProcessStep>().IgnoreQueryFilters().Where(s => s.PathId == pathId && s.Sequence == sequence).Select(s => s.Id).SingleAsync();
    }

    // "Attaches a certificate to a serial number at its current process step. This creates a CertAttachment record
    // that links the certificate to the serial at a specific point in the manufacturing process."
    [Fact]
    public async Task Attaching_creates_a_record_at_the_current_step_and_answers_the_documented_object()
    {
        var (client, userId) = await OperatorAsync();
        var serial = await SerialsKit.NewSerialAsync(app, client);
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.AdvanceAsync(client, serial)).StatusCode);
        var certId = await SerialsKit.CertIdAsync(app, "CERT-0001");

        var response = await SerialsKit.AttachAsync(client, serial, "CERT-0001", userId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Golden.AssertBodyAsync(response,
            $$"""{"id":"<uuid>","serialId":"{{serial}}","certId":"<uuid>","stepId":"<uuid>","attachedAt":"<time>","attachedBy":"<uuid>"}""");
        var body = await Golden.BodyAsync(response);
        Assert.Equal(certId.ToString(), body["certId"]!.GetValue<string>());
        Assert.Equal((await StepIdAsync(serial, 1)).ToString(), body["stepId"]!.GetValue<string>());
        Assert.Equal(userId.ToString(), body["attachedBy"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", body["attachedAt"]!.GetValue<string>());

        var record = Assert.Single(await SerialsKit.AttachmentsAsync(app, serial));
        Assert.Equal(body["id"]!.GetValue<string>(), record.Id.ToString());
        Assert.Equal(certId, record.CertificateId);
        Assert.Equal(await StepIdAsync(serial, 1), record.StepId);
        Assert.Equal(userId, record.AttachedBy);
        Assert.Equal(await SerialsKit.SerialIdAsync(app, serial), record.SerialId);
    }

    // "The attachment is idempotent ... the existing attachment is returned without creating a duplicate."
    // Example "Idempotent re-attachment": the same body returns the same record. Note: "Idempotent re-attachments do
    // not create duplicate audit entries."
    [Fact]
    public async Task Attaching_again_returns_the_existing_record_without_a_duplicate_or_a_second_audit_entry()
    {
        var (client, userId) = await OperatorAsync();
        var serial = await SerialsKit.NewSerialAsync(app, client);
        var first = await SerialsKit.AttachAsync(client, serial, "CERT-0002", userId);
        var firstBody = (await Golden.BodyAsync(first)).ToJsonString();
        app.Clock.Advance(TimeSpan.FromMinutes(5));

        // By number, in lower case, and by UUID: the same certificate, the same record.
        foreach (var reference in new[] { "CERT-0002", "cert-0002", (await SerialsKit.CertIdAsync(app, "CERT-0002")).ToString() })
        {
            var again = await SerialsKit.AttachAsync(client, serial, reference, userId);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal(firstBody, (await Golden.BodyAsync(again)).ToJsonString());
        }
        // Another user re-attaching does not rewrite who attached it first.
        var inspector = await SerialsKit.UserIdAsync(app, DemoUsers.Inspector);
        var byOther = await SerialsKit.AttachAsync(client, serial, "CERT-0002", inspector);
        Assert.Equal(firstBody, (await Golden.BodyAsync(byOther)).ToJsonString());

        Assert.Single(await SerialsKit.AttachmentsAsync(app, serial));
        Assert.Single(await SerialsKit.AuditAsync(app, serial, "cert_attached"));
    }

    // "Idempotency is enforced via a UNIQUE constraint on (serialId, certId, stepId)."
    [Fact]
    public async Task The_database_refuses_a_duplicate_attachment_by_itself()
    {
        var (client, userId) = await OperatorAsync();
        var serial = await SerialsKit.NewSerialAsync(app, client);
        await SerialsKit.AttachAsync(client, serial, "CERT-0003", userId);
        var existing = Assert.Single(await SerialsKit.AttachmentsAsync(app, serial));
        await using var db = app.RawDb();
        db.Add(new CertAttachment
        {
            OrganizationId = existing.OrganizationId, SerialId = existing.SerialId, CertificateId = existing.CertificateId, StepId = existing.StepId,
            AttachedBy = existing.AttachedBy, AttachedAt = DateTime.UtcNow,
        });
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.True(Operator.Infrastructure.Data.DbErrors.IsUniqueViolation(error));
    }

    // "The step ID is resolved server-side from the serial's currentStepIndex and the path's step array. You cannot
    // specify a different step."
    [Fact]
    public async Task A_step_named_in_the_request_is_ignored()
    {
        var (client, userId) = await OperatorAsync();
        var serial = await SerialsKit.NewSerialAsync(app, client);
        var laterStep = await StepIdAsync(serial, 3);
        var response = await client.PostAsJsonAsync($"{SerialsKit.Path}/{serial}/attach-cert",
            new { certId = "CERT-0004", userId = userId.ToString(), stepId = laterStep.ToString(), currentStepIndex = 3 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((await StepIdAsync(serial, 0)).ToString(), (await Golden.BodyAsync(response))["stepId"]!.GetValue<string>());
    }

    // "Certificates can be attached at any step during the serial's journey" and "The same certificate can be attached
    // to the same serial at different steps ... Each step produces a separate attachment record."
    [Fact]
    public async Task The_same_certificate_at_other_steps_gives_one_record_per_step()
    {
        var (client, userId) = await OperatorAsync();
        var serial = await SerialsKit.NewSerialAsync(app, client);
        var steps = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var response = await SerialsKit.AttachAsync(client, serial, "CERT-0006", userId);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            steps.Add((await Golden.BodyAsync(response))["stepId"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.OK, (await SerialsKit.AdvanceAsync(client, serial)).StatusCode);
            app.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.Equal(3, steps.Distinct().Count());
        Assert.Equal([await StepIdAsync(serial, 0), await StepIdAsync(serial, 1), await StepIdAsync(serial, 2)],
            (await SerialsKit.AttachmentsAsync(app, serial)).Select(a => a.StepId).ToList());
        Assert.Equal(3, (await SerialsKit.AuditAsync(app, serial, "cert_attached")).Count);

        var detail = await SerialsKit.GetAsync(client, serial);
        Assert.Equal(["CERT-0006", "CERT-0006", "CERT-0006", "", ""],
            detail["steps"]!.AsArray().Select(s => string.Join(",", s!["attachments"]!.AsArray().Select(a => a!["certNumber"]!.GetValue<string>()))));
    }

    // "For batch attachment at creation time, use the certId parameter on Batch Create Serials."
    [Fact]
    public async Task Batch_create_with_a_certificate_attaches_it_at_the_first_step_and_a_later_attach_is_idempotent()
    {
        var (client, userId) = await OperatorAsync();
        var serials = await SerialsKit.NewSerialsAsync(app, client, 3, certId: "CERT-0007");
        foreach (var serial in serials)
        {
            var record = Assert.Single(await SerialsKit.AttachmentsAsync(app, serial));
            Assert.Equal(await StepIdAsync(serial, 0), record.StepId);
            Assert.Equal(await SerialsKit.CertIdAsync(app, "CERT-0007"), record.CertificateId);
        }
        var again = await SerialsKit.AttachAsync(client, serials[0], "CERT-0007", userId);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single(await SerialsKit.AttachmentsAsync(app, serials[0]));
    }

    // "Scrapped serials can still have certificates attached if they haven't been completed (they retain their currentStepIndex)."
    [Fact]
    public async Task A_scrapped_serial_keeps_its_step_and_accepts_a_certificate()
    {
        var (client, userId) = await OperatorAsync();
        var serial = await SerialsKit.NewSerialAsync(app, client);
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.AdvanceAsync(client, serial)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.ScrapAsync(client, serial)).StatusCode);
        var detail = await SerialsKit.GetAsync(client, serial);
        Assert.Equal("scrapped", detail["status"]!.GetValue<string>());
        Assert.Equal(1, detail["currentStepIndex"]!.GetValue<int>());

        var response = await SerialsKit.AttachAsync(client, serial, "CERT-0005", userId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((await StepIdAsync(serial, 1)).ToString(), (await Golden.BodyAsync(response))["stepId"]!.GetValue<string>());
    }

    // 400 "Serial is completed (currentStepIndex: -1)": "Serial is already completed, cannot attach cert".
    [Fact]
    public async Task A_completed_serial_is_refused_with_the_specs_message_and_nothing_is_written()
    {
        var (client, userId) = await OperatorAsync();
        var serial = await SerialsKit.NewSerialAsync(app, client);
        await SerialsKit.AdvanceToLastStepAsync(client, serial);
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.CompleteAsync(client, serial)).StatusCode);
        Assert.Equal(-1, (await SerialsKit.GetAsync(client, serial))["currentStepIndex"]!.GetValue<int>());
        var before = await SerialsKit.CountsAsync(app);

        var response = await SerialsKit.AttachAsync(client, serial, "CERT-0001", userId);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Serial is already completed, cannot attach cert", (await Golden.BodyAsync(response))["error"]!.GetValue<string>());
        Assert.Equal(before, await SerialsKit.CountsAsync(app));
    }

    // 404 "Serial does not exist": "SerialNumber not found: {id}" (another organization's serial too).
    [Fact]
    public async Task An_unknown_serial_is_404_with_the_specs_message()
    {
        var (client, userId) = await OperatorAsync();
        var response = await SerialsKit.AttachAsync(client, "SN-99999", "CERT-0001", userId);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await Golden.AssertBodyAsync(response, """{"error":"SerialNumber not found: SN-99999"}""");

        var otherAdmin = await app.ClientForAsync(DemoUsers.OtherAdmin);
        var theirs = await SerialsKit.NewSerialAsync(app, otherAdmin, org: "AC01");
        var theirId = await SerialsKit.SerialIdAsync(app, theirs, "AC01");
        var unique = $"AC-{Guid.NewGuid():N}"[..16].ToUpperInvariant();
        await using (var db = app.RawDb())
        {
            await db.Set<Serial>().IgnoreQueryFilters().Where(s => s.Id == theirId).ExecuteUpdateAsync(u => u.SetProperty(s => s.SerialNumber, unique));
        }
        var cross = await SerialsKit.AttachAsync(client, unique, "CERT-0001", userId);
        Assert.Equal(HttpStatusCode.NotFound, cross.StatusCode);
        await Golden.AssertBodyAsync(cross, $$"""{"error":"SerialNumber not found: {{unique}}"}""");
        var byUuid = await SerialsKit.AttachAsync(client, theirId.ToString(), "CERT-0001", userId);
        Assert.Equal(HttpStatusCode.NotFound, byUuid.StatusCode);
        Assert.Equal($"SerialNumber not found: {theirId}", (await Golden.BodyAsync(byUuid))["error"]!.GetValue<string>());
        Assert.Empty(await SerialsKit.AttachmentsAsync(app, unique, "AC01"));
    }

    // 404 "Path referenced by serial does not exist": "Path not found: {pathId}".
    [Fact]
    public async Task A_serial_whose_path_is_gone_is_404_with_the_specs_message()
    {
        var (client, userId) = await OperatorAsync();
        var serial = await SerialsKit.NewSerialAsync(app, client);
        var missingPath = Guid.NewGuid();
        await using (var db = app.RawDb())
        {
            // Only a damaged database can reference a missing path: the foreign key is switched off to make one.
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys = OFF");
            await db.Database.ExecuteSqlRawAsync("""UPDATE "Serials" SET "PathId" = {0} WHERE "Id" = {1}""", missingPath.ToString().ToUpperInvariant(),
                (await SerialsKit.SerialIdAsync(app, serial)).ToString().ToUpperInvariant());
        }
        var response = await SerialsKit.AttachAsync(client, serial, "CERT-0001", userId);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal($"Path not found: {missingPath}", (await Golden.BodyAsync(response))["error"]!.GetValue<string>());
        Assert.Empty(await SerialsKit.AttachmentsAsync(app, serial));
    }

    // 404 "Certificate does not exist": "Certificate not found: {certId}"; another organization's certificate is not found either.
    [Fact]
    public async Task An_unknown_or_foreign_certificate_is_404_with_the_specs_message()
    {
        var (client, userId) = await OperatorAsync();
        var serial = await SerialsKit.NewSerialAsync(app, client);
        var response = await SerialsKit.AttachAsync(client, serial, "CERT-9999", userId);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await Golden.AssertBodyAsync(response, """{"error":"Certificate not found: CERT-9999"}""");

        var foreign = await SerialsKit.CertIdAsync(app, "CERT-0001", "AC01");
        var byId = await SerialsKit.AttachAsync(client, serial, foreign.ToString(), userId);
        Assert.Equal(HttpStatusCode.NotFound, byId.StatusCode);
        Assert.Equal($"Certificate not found: {foreign}", (await Golden.BodyAsync(byId))["error"]!.GetValue<string>());

        var orgId = await app.OrganizationIdAsync("AC01");
        await using (var db = app.RawDb())
        {
            db.Add(new Certificate { OrganizationId = orgId, Number = "AC01-ONLY-7", Type = "material", Issuer = "Elsewhere", IssuedAt = DateTime.UtcNow.Date, CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        var byNumber = await SerialsKit.AttachAsync(client, serial, "AC01-ONLY-7", userId);
        Assert.Equal(HttpStatusCode.NotFound, byNumber.StatusCode);
        await Golden.AssertBodyAsync(byNumber, """{"error":"Certificate not found: AC01-ONLY-7"}""");
        Assert.Empty(await SerialsKit.AttachmentsAsync(app, serial));
    }

    // 400 "certId is missing or invalid": the message describes the specific validation issue. userId likewise.
    [Theory]
    [InlineData("""{"userId":"USER"}""", "certId is required")]
    [InlineData("""{"certId":null,"userId":"USER"}""", "certId is required")]
    [InlineData("""{"certId":"","userId":"USER"}""", "certId must not be empty")]
    [InlineData("""{"certId":"   ","userId":"USER"}""", "certId must not be empty")]
    [InlineData("""{"certId":42,"userId":"USER"}""", "certId must be a string, got a number")]
    [InlineData("""{"certId":["CERT-0001"],"userId":"USER"}""", "certId must be a string, got an array")]
    [InlineData("""{"certId":"LONG","userId":"USER"}""", "certId must be at most 100 characters")]
    [InlineData("""{"certId":"CERT-0001\u0000","userId":"USER"}""", "certId must not contain control characters")]
    [InlineData("""{"certId":"CERT-0001"}""", "userId is required")]
    [InlineData("""{"certId":"CERT-0001","userId":"user_op1"}""", "userId must be a user id (UUID), got 'user_op1'")]
    [InlineData("""{"certId":"CERT-0001","userId":true}""", "userId must be a string, got a boolean")]
    [InlineData("""{}""", "certId is required; userId is required")]
    [InlineData("""[]""", "The request body must be a JSON object with certId and userId")]
    [InlineData("""not json""", "Malformed JSON")]
    public async Task Missing_or_invalid_fields_are_400_saying_what_is_wrong_and_write_nothing(string body, string message)
    {
        var (client, userId) = await OperatorAsync();
        var serial = await SerialsKit.NewSerialAsync(app, client);
        var before = await SerialsKit.CountsAsync(app);
        var response = await client.PostAsync($"{SerialsKit.Path}/{serial}/attach-cert",
            Golden.Raw(body.Replace("USER", userId.ToString()).Replace("LONG", new string('C', 101))));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(message, (await Golden.BodyAsync(response))["error"]!.GetValue<string>());
        Assert.Equal(before, await SerialsKit.CountsAsync(app));
    }

    [Fact]
    public async Task The_field_issues_name_the_fields()
    {
        var (client, _) = await OperatorAsync();
        var serial = await SerialsKit.NewSerialAsync(app, client);
        var response = await client.PostAsync($"{SerialsKit.Path}/{serial}/attach-cert", Golden.Raw("""{"certId":7,"userId":"nope"}"""));
        await Golden.AssertBodyAsync(response,
            """{"error":"certId must be a string, got a number; userId must be a user id (UUID), got 'nope'","details":[{"field":"certId","message":"certId must be a string, got a number"},{"field":"userId","message":"userId must be a user id (UUID), got 'nope'"}]}""");
    }

    // userId "ID of the user performing the attachment": a user of the caller's organization.
    [Fact]
    public async Task A_userId_outside_the_callers_organization_or_deactivated_is_400()
    {
        var (client, _) = await OperatorAsync();
        var serial = await SerialsKit.NewSerialAsync(app, client);
        var foreign = await SerialsKit.UserIdAsync(app, DemoUsers.OtherAdmin);
        var response = await SerialsKit.AttachAsync(client, serial, "CERT-0001", foreign);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await Golden.BodyAsync(response);
        Assert.Equal($"userId {foreign} is not a user of your organization", body["error"]!.GetValue<string>());
        Assert.Equal("userId", body["details"]![0]!["field"]!.GetValue<string>());

        var unknown = Guid.NewGuid();
        Assert.Equal($"userId {unknown} is not a user of your organization",
            (await Golden.BodyAsync(await SerialsKit.AttachAsync(client, serial, "CERT-0001", unknown)))["error"]!.GetValue<string>());

        var orgId = await app.OrganizationIdAsync("MA01");
        var inactive = new Operator.Infrastructure.Auth.AppUser
        {
            UserName = $"gone-{Guid.NewGuid():N}@ma01.demo", Email = "gone@ma01.demo", DisplayName = "Gone", Role = "OPERATOR", OrganizationId = orgId,
            IsActive = false, CreatedAt = DateTime.UtcNow,
        };
        await using (var db = app.RawDb())
        {
            db.Users.Add(inactive);
            await db.SaveChangesAsync();
        }
        var deactivated = await SerialsKit.AttachAsync(client, serial, "CERT-0001", inactive.Id);
        Assert.Equal(HttpStatusCode.BadRequest, deactivated.StatusCode);
        Assert.Contains("deactivated", (await Golden.BodyAsync(deactivated))["error"]!.GetValue<string>());
        Assert.Empty(await SerialsKit.AttachmentsAsync(app, serial));
    }

    // "An audit trail entry of type cert_attached is created for each new attachment, capturing the user, serial,
    // certificate, job, path, and step." The authenticated caller is kept as well.
    [Fact]
    public async Task The_audit_entry_records_user_serial_certificate_work_order_path_step_and_caller()
    {
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var operatorId = await SerialsKit.UserIdAsync(app, DemoUsers.Operator);
        var inspectorId = await SerialsKit.UserIdAsync(app, DemoUsers.Inspector);
        var order = await SerialsKit.NewWorkOrderAsync(app);
        var serial = (await SerialsKit.BatchAsync(inspector, order.Number, 1))["serials"]![0]!["serialNumber"]!.GetValue<string>();
        var response = await SerialsKit.AttachAsync(inspector, serial, "CERT-0008", operatorId);
        var attachment = await Golden.BodyAsync(response);

        var entry = Assert.Single(await SerialsKit.AuditAsync(app, serial, "cert_attached"));
        Assert.Equal("serial", entry.EntityType);
        Assert.Equal(inspectorId, entry.UserId);
        Assert.Equal(DemoUsers.Inspector, entry.UserEmail);
        var after = JsonNode.Parse(entry.After!)!;
        await using var db = app.RawDb();
        var path = await db.Set<WorkOrder>().IgnoreQueryFilters().Where(w => w.Id == order.Id).Select(w => new { w.PathId, w.Path!.Code }).SingleAsync();
        Assert.Equal(operatorId.ToString(), after["userId"]!.GetValue<string>());
        Assert.Equal(serial, after["serialNumber"]!.GetValue<string>());
        Assert.Equal((await SerialsKit.SerialIdAsync(app, serial)).ToString(), after["serialId"]!.GetValue<string>());
        Assert.Equal(attachment["certId"]!.GetValue<string>(), after["certificateId"]!.GetValue<string>());
        Assert.Equal("CERT-0008", after["certificateNumber"]!.GetValue<string>());
        Assert.Equal(order.Id.ToString(), after["workOrderId"]!.GetValue<string>());
        Assert.Equal(order.Number, after["workOrderNumber"]!.GetValue<string>());
        Assert.Equal(path.PathId.ToString(), after["pathId"]!.GetValue<string>());
        Assert.Equal(path.Code, after["pathCode"]!.GetValue<string>());
        Assert.Equal(attachment["stepId"]!.GetValue<string>(), after["stepId"]!.GetValue<string>());
        Assert.Equal(0, after["stepIndex"]!.GetValue<int>());
        Assert.Equal(attachment["id"]!.GetValue<string>(), after["attachmentId"]!.GetValue<string>());
        Assert.Equal(inspectorId.ToString(), after["recordedBy"]!.GetValue<string>());
        Assert.True((await Operator.Infrastructure.Audit.AuditTrail.VerifyAsync(db, await app.OrganizationIdAsync("MA01"))).Intact);
    }

    // Path parameter id: "The unique identifier of the serial number (e.g. "SN-00001")"; the UUID and lower case work too.
    [Fact]
    public async Task The_serial_is_addressed_by_its_number_in_any_case_or_by_its_uuid()
    {
        var (client, userId) = await OperatorAsync();
        var serial = await SerialsKit.NewSerialAsync(app, client);
        Assert.StartsWith("SN-", serial);
        var uuid = await SerialsKit.SerialIdAsync(app, serial);
        var first = await Golden.BodyAsync(await SerialsKit.AttachAsync(client, serial.ToLowerInvariant(), "CERT-0009", userId));
        Assert.Equal(serial, first["serialId"]!.GetValue<string>());
        var second = await Golden.BodyAsync(await SerialsKit.AttachAsync(client, uuid.ToString(), "CERT-0009", userId));
        Assert.Equal(first.ToJsonString(), second.ToJsonString());

        // Signed public codes are serial numbers too.
        var code = (await SerialsKit.NewSerialsAsync(app, client, 1, partNumber: "P-1001"))[0];
        Assert.Matches(@"^MA01-HAT-BAG-\d{8}-\d{5}-[A-Z0-9]{4}-[A-Z0-9]$", code);
        var coded = await SerialsKit.AttachAsync(client, code, "CERT-0009", userId);
        Assert.Equal(HttpStatusCode.OK, coded.StatusCode);
        Assert.Equal(code, (await Golden.BodyAsync(coded))["serialId"]!.GetValue<string>());
    }

    // 500 "Database write failure": "Internal Server Error".
    [Fact]
    public async Task A_database_write_failure_is_a_500_that_says_nothing_internal()
    {
        var (client, userId) = await OperatorAsync();
        var serial = await SerialsKit.NewSerialAsync(app, client);
        var id = (await SerialsKit.SerialIdAsync(app, serial)).ToString().ToUpperInvariant();
        var trigger = $"fail_{Guid.NewGuid():N}";
        await using (var db = app.RawDb())
        {
            await db.Database.ExecuteSqlRawAsync($"""CREATE TRIGGER "{trigger}" BEFORE INSERT ON "CertAttachments" WHEN upper(NEW."SerialId") = '{id}' BEGIN SELECT RAISE(FAIL, 'disk I/O error'); END""");
        }
        try
        {
            var response = await SerialsKit.AttachAsync(client, serial, "CERT-0001", userId);
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            await Golden.AssertBodyAsync(response, """{"error":"Internal Server Error","requestId":"<uuid>"}""");
            Assert.Empty(await SerialsKit.AttachmentsAsync(app, serial));
            Assert.Empty(await SerialsKit.AuditAsync(app, serial, "cert_attached"));
        }
        finally
        {
            await using var db = app.RawDb();
            await db.Database.ExecuteSqlRawAsync($"""DROP TRIGGER "{trigger}" """);
        }
    }

    [Fact]
    public async Task Station_work_needs_a_signed_in_operator_or_higher()
    {
        var (client, userId) = await OperatorAsync();
        var serial = await SerialsKit.NewSerialAsync(app, client);
        var anonymous = await app.CreateClient().PostAsJsonAsync($"{SerialsKit.Path}/{serial}/attach-cert", new { certId = "CERT-0001", userId });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        await Golden.AssertBodyAsync(anonymous, """{"error":"Unauthorized"}""");

        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var refused = await SerialsKit.AttachAsync(viewer, serial, "CERT-0001", userId);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        await Golden.AssertBodyAsync(refused, $$"""{"error":"{{SerialService.StationForbidden}}"}""");
        Assert.Empty(await SerialsKit.AttachmentsAsync(app, serial));

        foreach (var user in new[] { DemoUsers.Inspector, DemoUsers.Manager, DemoUsers.Admin })
        {
            var allowed = await SerialsKit.AttachAsync(await app.ClientForAsync(user), serial, "CERT-0001", userId);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        Assert.Single(await SerialsKit.AttachmentsAsync(app, serial));
    }
}
