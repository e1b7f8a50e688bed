using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Operator.Infrastructure.Data;
using Operator.Tests.Features.Verification;
using Operator.Tests.Support;

namespace Operator.Tests.Infrastructure;

/// <summary>
/// <see cref="RequestIdTests"/>' promise on PostgreSQL: every group's answer carries X-Request-Id (the caller's, else a
/// new one), the request log line names it, and every group's 500 body names the id of its header when the database
/// fails underneath. Needs the PostgreSQL server of OPERATOR_TEST_PG (test.sh starts one); fails loudly without it.
/// </summary>
public sealed class PostgresRequestIdTests
{
    private static string IdOf(HttpResponseMessage response) => response.Headers.GetValues("X-Request-Id").Single();

    [Fact]
    public async Task Every_groups_answer_and_log_line_carry_the_id_and_every_groups_500_body_names_it()
    {
        // An app of its own: the second half breaks its database.
        await using var app = new LoggedPostgresFactory();
        var (_, code) = await VerificationKit.NewSerialAsync(app);
        // Verified only once the database is broken: a code verified before is answered from the verification cache.
        var (_, unverified) = await VerificationKit.NewSerialAsync(app);
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var anonymous = app.AnonymousFrom("198.51.100.72");
        (HttpClient Client, string Path)[] groups =
        [
            (admin, "/api/batches"),
            (admin, "/api/serials"),
            (admin, "/api/v1/serialization/formats"),
            (admin, "/api/quality/holds"),
            (anonymous, $"/api/public/serial/verify/{code}"),
        ];

        foreach (var (client, path) in groups)
        {
            var fresh = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
            Assert.True(Guid.TryParse(IdOf(fresh), out _), IdOf(fresh));

            var id = $"pg-ok-{path.Length}-{Guid.NewGuid():N}";
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("X-Request-Id", id);
            var answered = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
            Assert.Equal(id, IdOf(answered));
            Assert.Single(app.Lines, l => l.Contains(id, StringComparison.Ordinal));
        }

        await using (var db = app.RawDb())
        {
            foreach (var table in new[] { "Batches", "SerialFormats", "QualityHolds", "Serials" })
            {
                await db.Database.ExecuteSqlRawAsync($"""ALTER TABLE "{table}" RENAME TO "{table}Gone" """);
            }
        }
        string[] bodies =
        [
            """{"error":"Internal Server Error","requestId":"<id>"}""",
            """{"error":"Internal Server Error","requestId":"<id>"}""",
            """{"success":false,"data":null,"error":"INTERNAL_SERVER_ERROR","message":"An unexpected error occurred","requestId":"<id>","timestamp":"<time>"}""",
            """{"error":"Internal server error","request_id":"<id>"}""",
            """{"ok":false,"error":"Internal server error","request_id":"<id>"}""",
        ];
        for (var i = 0; i < groups.Length; i++)
        {
            var (client, path) = groups[i];
            path = path.Replace(code, unverified, StringComparison.Ordinal);
            var id = $"pg-err-{i}-{Guid.NewGuid():N}";
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("X-Correlation-Id", id);
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal(id, IdOf(response));
            await Golden.AssertBodyAsync(response, bodies[i].Replace("<id>", id, StringComparison.Ordinal));
            Assert.Single(app.Lines, l => l.Contains(id, StringComparison.Ordinal));
        }
    }

    /// <summary>The verification test app on PostgreSQL, keeping the lines of the request log's category.</summary>
    private sealed class LoggedPostgresFactory() : VerificationFactory(DatabaseProvider.Postgres)
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(new RequestLogCapture(Lines)));
        }
    }
}
