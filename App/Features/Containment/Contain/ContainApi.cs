using Operator.Infrastructure.Api;
using Operator.Infrastructure.Auth;

namespace Operator.Features.Containment;

/// <summary><c>/api/containment</c> (plain convention): thin adapters over <see cref="ContainmentService"/>.</summary>
public static class ContainApi
{
    public static IEndpointRouteBuilder MapContainApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/api/containment", PlainStyle.Instance).WithTags("Containment")
            .RequireAuthorization(Policies.QualityManage).ForbiddenWith(ContainmentService.Forbidden);

        group.MapPost("/preview", (JsonRecord<ContainRequest> body, ContainmentService s, CancellationToken ct) => s.PreviewAsync(body.Value, ct))
            .WithName("PreviewContainment")
            .WithSummary("What a containment of these targets would hold, and what active holds already hold. Writes nothing.")
            .WithDescription($"""
                QA_MANAGER, ADMIN. Body as for POST /api/containment (origin, holdType, priority and reason are not needed).
                Answers units, workOrders, batches, licensePlates as {"{"}targets, toHold, alreadyHeld{"}"}, and alreadyHeld: each target
                an active hold names directly, with those holds. Repeated ids count once; 1-{ContainmentService.MaxTargets} targets.
                An id that is no record of the caller's organization is a 404.
                """)
            .Produces<ContainmentPreviewDto>();

        group.MapPost("", (JsonRecord<ContainRequest> body, ContainmentService s, CancellationToken ct) => s.ContainAsync(body.Value, ct))
            .SucceedsWith(201)
            .WithName("Contain")
            .WithSummary("Put every named target that no active hold names yet on one new quality hold, in one transaction.")
            .WithDescription($"""
                QA_MANAGER, ADMIN. origin: {"{"}type (certificate, serial, license_plate, work_order, batch, other), number (1-100),
                description? (<= 500, kept in the audit trail){"}"}; serialIds, workOrderIds, batchIds, licensePlateIds: ids,
                1-{ContainmentService.MaxTargets} in all (beyond the 100 items of POST /api/quality/holds); holdType quarantine
                (default) or recall; priority (default high); reason? (<= 300) is added to the hold's reason, which names the
                origin. Creates one hold over the targets no active hold names yet (plates go to QA status hold), audited as
                hold_created and containment. 409 when every target is already held. Release it with
                PATCH /api/quality/holds/{"{"}id{"}"}/release.
                """)
            .Produces<ContainmentDto>(201);

        return app;
    }
}

public static class ContainFeature
{
    public static IServiceCollection AddContainFeature(this IServiceCollection services) => services
        .AddScoped<ContainmentService>()
        .AddSingleton<IContainmentProbe, NoContainmentProbe>();
}
