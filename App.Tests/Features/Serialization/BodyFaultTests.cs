using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using Operator.Tests.Support;
using static Operator.Tests.Features.Serialization.WorkflowKit;

namespace Operator.Tests.Features.Serialization;

/// <summary>
/// Every body-taking operation of /api/v1/serialization, sent bodies no binder should ever read (invalid UTF-8 inside
/// a string, an unpaired surrogate escape, NUL, a duplicate key, nesting 33 deep, a wrong type), on SQLite and
/// PostgreSQL: each is a 400 VALIDATION_ERROR naming the field, nothing is written, and the next normal request succeeds.
/// </summary>
public abstract class BodyFaultTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    public static TheoryData<string> Operations() =>
    [
        "vendor-receive", "vendor-accept", "vendor-reject", "generate", "trigger-create", "trigger-update", "trigger-enable", "trigger-disable",
        "trigger-delete", "trigger-fire", "placeholder-create", "placeholder-assign", "placeholder-fail", "format-create", "format-update",
        "format-preview", "pass-through", "split", "merge", "transformation", "uniqueness-check", "uniqueness-register", "conflict-resolve",
    ];

    /// <summary>One operation: who sends it where, a body that succeeds, the string field the faults go into, the success status.</summary>
    private sealed record Operation(string User, HttpMethod Method, string Path, JsonObject Body, string Field, HttpStatusCode Success);

    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)].ToUpperInvariant();

    private async Task<Operation> ArrangeAsync(string name)
    {
        var (part, _) = await NewPartAsync(app);
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var op = await app.ClientForAsync(DemoUsers.Operator);
        JsonObject O(object body) => JsonSerializer.SerializeToNode(body, WebJson)!.AsObject();
        switch (name)
        {
            case "vendor-receive":
                return new(DemoUsers.Operator, HttpMethod.Post, $"{Base}/vendor/receive",
                    O(new { vendorSerialNumber = Unique("V"), vendorName = "Acme", partId = part }), "vendorSerialNumber", HttpStatusCode.Created);
            case "vendor-accept":
                return new(DemoUsers.Manager, HttpMethod.Post, $"{Base}/vendor/{await ReceiveAsync(op, part, Unique("V"))}/accept",
                    Sign.Body(new { internalSerialId = Unique("I") }), "internalSerialId", HttpStatusCode.OK);
            case "vendor-reject":
                return new(DemoUsers.Manager, HttpMethod.Post, $"{Base}/vendor/{await ReceiveAsync(op, part, Unique("V"))}/reject",
                    Sign.Body(new { rejectionReason = "Damaged label" }, "rejected", "Damaged label"), "rejectionReason", HttpStatusCode.OK);
            case "generate":
                return new(DemoUsers.Operator, HttpMethod.Post, $"{Base}/system-generated/generate", O(new { partId = part }), "partId", HttpStatusCode.Created);
            case "trigger-create":
                return new(DemoUsers.Admin, HttpMethod.Post, $"{Base}/triggers",
                    O(new { partId = part, triggerType = "MANUAL", assignmentType = "SYSTEM_GENERATED" }), "operationCode", HttpStatusCode.Created);
            case "trigger-update":
            case "trigger-enable":
            case "trigger-disable":
            case "trigger-delete":
                var trigger = await CreateTriggerAsync(admin, new { partId = part, triggerType = "MANUAL", assignmentType = "SYSTEM_GENERATED", isActive = name != "trigger-enable" });
                return name switch
                {
                    "trigger-update" => new(DemoUsers.Admin, HttpMethod.Patch, $"{Base}/triggers/{trigger}", O(new { operationCode = "OP-010" }), "operationCode", HttpStatusCode.OK),
                    "trigger-enable" => new(DemoUsers.Admin, HttpMethod.Post, $"{Base}/triggers/{trigger}/enable", O(new { enabledBy = "admin" }), "enabledBy", HttpStatusCode.OK),
                    "trigger-disable" => new(DemoUsers.Admin, HttpMethod.Post, $"{Base}/triggers/{trigger}/disable", O(new { disabledBy = "admin" }), "disabledBy", HttpStatusCode.OK),
                    _ => new(DemoUsers.Admin, HttpMethod.Delete, $"{Base}/triggers/{trigger}", O(new { deletedBy = "admin" }), "deletedBy", HttpStatusCode.NoContent),
                };
            case "trigger-fire":
                await CreateTriggerAsync(admin, new { partId = part, triggerType = "MANUAL", assignmentType = "SYSTEM_GENERATED" });
                return new(DemoUsers.Operator, HttpMethod.Post, $"{Base}/system-generated/trigger", O(new { partId = part, triggerType = "MANUAL" }), "partId", HttpStatusCode.OK);
            case "placeholder-create":
                return new(DemoUsers.Operator, HttpMethod.Post, $"{Base}/late-assignment/placeholder", O(new { partId = part }), "operationCode", HttpStatusCode.Created);
            case "placeholder-assign":
                return new(DemoUsers.Operator, HttpMethod.Post, $"{Base}/late-assignment/placeholder/{await CreatePlaceholderAsync(op, part)}/assign",
                    O(new { serialNumber = Unique("S") }), "serialNumber", HttpStatusCode.OK);
            case "placeholder-fail":
                return new(DemoUsers.Operator, HttpMethod.Post, $"{Base}/late-assignment/placeholder/{await CreatePlaceholderAsync(op, part)}/fail",
                    O(new { reason = "Label torn" }), "reason", HttpStatusCode.OK);
            case "format-create":
                return new(DemoUsers.Admin, HttpMethod.Post, $"{Base}/formats", O(new { name = Unique("F"), pattern = "T-{SEQ:4}" }), "name", HttpStatusCode.Created);
            case "format-update":
                return new(DemoUsers.Admin, HttpMethod.Patch, $"{Base}/formats/{await CreateFormatAsync(admin, "T-{SEQ:4}")}", O(new { name = Unique("F") }), "name", HttpStatusCode.OK);
            case "format-preview":
                return new(DemoUsers.Admin, HttpMethod.Post, $"{Base}/formats/preview", O(new { pattern = "T-{SEQ:4}" }), "pattern", HttpStatusCode.OK);
        }
        var units = await LineageKit.UnitsAsync(app, 2, partId: part);
        switch (name)
        {
            case "pass-through":
                return new(DemoUsers.Operator, HttpMethod.Post, $"{Base}/propagation/pass-through",
                    O(new { sourceSerialId = units[0], operationCode = "OP", routingSequence = 10 }), "operationCode", HttpStatusCode.Created);
            case "split":
                return new(DemoUsers.Operator, HttpMethod.Post, $"{Base}/propagation/split",
                    O(new { sourceSerialId = units[0], operationCode = "OP", routingSequence = 10, targetSerialIds = new[] { units[1] } }), "operationCode", HttpStatusCode.Created);
            case "merge":
            case "transformation":
                return new(DemoUsers.Operator, HttpMethod.Post, $"{Base}/propagation/{name}",
                    O(new { sourceSerialIds = new[] { units[0] }, operationCode = "OP", routingSequence = 10, targetSerialId = units[1] }), "operationCode", HttpStatusCode.Created);
            case "uniqueness-check":
                return new(DemoUsers.Viewer, HttpMethod.Post, $"{Base}/uniqueness/check",
                    O(new { serialNumber = Unique("U"), partId = part, scope = new[] { "PART_TYPE" } }), "serialNumber", HttpStatusCode.OK);
            case "uniqueness-register":
                return new(DemoUsers.Operator, HttpMethod.Post, $"{Base}/uniqueness/register",
                    O(new { serialNumber = Unique("U"), partId = part, scope = new[] { "PART_TYPE" } }), "serialNumber", HttpStatusCode.Created);
            default:
                var number = LineageKit.Number("UQ");
                var twins = await LineageKit.UnitsAsync(app, 2, _ => number, part);
                await LineageKit.PostOkAsync(op, "/uniqueness/register", new { serialNumber = number, partId = part, scope = new[] { "PART_TYPE" }, serialId = twins[0] });
                return new(DemoUsers.Manager, HttpMethod.Post, $"{Base}/uniqueness/conflict/resolve",
                    Sign.Body(new { serialNumber = number, partId = part, conflictResolution = "KEEP_BOTH", resolutionReason = "Both are real" }), "resolutionReason", HttpStatusCode.OK);
        }
    }

    /// <summary>The body with the field's value replaced by raw JSON bytes (the rest of the body stays valid).</summary>
    private static byte[] With(JsonObject body, string field, byte[] value)
    {
        var rest = body.DeepClone().AsObject();
        rest.Remove(field);
        var tail = rest.Count == 0 ? "}" : "," + rest.ToJsonString()[1..];
        return [.. Encoding.UTF8.GetBytes($"{{\"{field}\":"), .. value, .. Encoding.UTF8.GetBytes(tail)];
    }

    private static IEnumerable<(string Fault, byte[] Body)> Faults(JsonObject body, string field)
    {
        yield return ("invalid UTF-8", With(body, field, [(byte)'"', (byte)'a', 0xC3, 0x28, 0xFF, (byte)'"']));
        yield return ("unpaired surrogate", With(body, field, Encoding.UTF8.GetBytes("\"a\\uD800b\"")));
        yield return ("NUL", With(body, field, Encoding.UTF8.GetBytes("\"a\\u0000b\"")));
        yield return ("duplicate key", With(body, field, Encoding.UTF8.GetBytes($"\"one\",\"{field}\":\"two\"")));
        yield return ("depth 33", With(body, field, Encoding.UTF8.GetBytes(new string('[', 32) + new string(']', 32))));
        yield return ("wrong type", With(body, field, Encoding.UTF8.GetBytes("12345")));
    }

    private static HttpRequestMessage Request(Operation op, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpRequestMessage(op.Method, op.Path) { Content = content };
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task A_body_no_binder_can_read_is_refused_naming_the_field_and_writes_nothing(string operation)
    {
        var op = await ArrangeAsync(operation);
        var client = await app.ClientForAsync(op.User);
        var before = await SnapshotAsync(app);
        foreach (var (fault, body) in Faults(op.Body, op.Field))
        {
            var response = await client.SendAsync(Request(op, body));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{fault}: {(int)response.StatusCode} {text}");
            var error = JsonNode.Parse(text)!;
            Assert.Equal("VALIDATION_ERROR", error["error"]!.GetValue<string>());
            Assert.Equal("Invalid input data", error["message"]!.GetValue<string>());
            var field = Fields(error).Single();
            // Too deep a body is named down to the value that went too deep: the field, then the array levels inside it.
            Assert.True(fault == "depth 33" ? field.StartsWith(op.Field + "[0]", StringComparison.Ordinal) : field == op.Field, $"{fault}: {text}");
        }
        Assert.Equal(before, await SnapshotAsync(app));

        var normal = await client.SendAsync(Request(op, Encoding.UTF8.GetBytes(op.Body.ToJsonString())));
        var answer = await normal.Content.ReadAsStringAsync();
        Assert.True(normal.StatusCode == op.Success, $"{(int)normal.StatusCode} {answer}");
    }
}


public sealed class SqliteBodyFaultTests(OperatorFactory app) : BodyFaultTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

public sealed class PostgresBodyFaultTests(PostgresOperatorFactory app) : BodyFaultTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;
