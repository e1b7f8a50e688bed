using Operator.Features.Reports;
using Operator.Infrastructure.Signatures;

namespace Operator.Features.Holds;

/// <summary>
/// The printed hold: organization header, hold facts, items (a table that continues across pages), license plate
/// status changes, audit history with who and when, and the release/disposition with the releaser's name.
/// </summary>
public static class HoldReport
{
    public static byte[] Render(HoldDetailDto detail, string organizationName, DateTime generatedAtUtc, IReadOnlyList<SignatureView>? signatures = null)
    {
        var hold = detail.Hold;
        using var pdf = new PdfReport("Quality hold report", organizationName, generatedAtUtc, $"Quality hold {hold.HoldNumber}");
        pdf.Title($"Quality hold {hold.HoldNumber}");
        pdf.Facts(
        [
            ("Hold number", hold.HoldNumber),
            ("Status", Capitalize(hold.Status)),
            ("Priority", Capitalize(hold.Priority)),
            ("Type", HoldTypes.Label(hold.HoldType)),
            ("Held by", Person(hold.HeldBy)),
            ("Held at", PdfReport.FormatTime(hold.HeldAt)),
            ("Aging", $"{HoldAging.Describe(detail.AgingHours)} ({detail.AgingStatus})" + (hold.Status == HoldStatuses.Active ? "" : ", until closed")),
            ("Items", hold.ItemsCount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Reason", hold.Reason),
        ]);

        pdf.Heading("Items");
        pdf.Table(
            [new("#", 0.35, AlignRight: true), new("Type", 1), new("Reference", 1.5), new("Quantity", 1, AlignRight: true), new("Location", 1.3), new("Notes", 2.4)],
            detail.Items.Select((item, i) => (IReadOnlyList<string?>)
            [
                (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ReferenceTypes.Label(item.ReferenceType),
                item.ReferenceDisplay,
                item.QuantityHeld is { } q ? $"{HoldValidation.Invariant(q)} {item.Uom}".Trim() : item.Uom ?? "",
                item.LocationName,
                item.Notes,
            ]),
            "No items.");

        pdf.Heading("License plate status changes");
        pdf.Table(
            [new("License plate", 1.2), new("From", 0.8), new("To", 0.8), new("Through", 1.1), new("When", 1.3), new("By", 1.6)],
            detail.LpStatusChanges.Select(c => (IReadOnlyList<string?>)
            [
                c.LpNumber, c.PreviousStatus, c.NewStatus, ActionLabel(c.Action), PdfReport.FormatTime(c.ChangedAt), c.ChangedBy?.Name,
            ]),
            "This hold holds no license plates.");

        pdf.Heading("Release and disposition");
        if (hold.Status == HoldStatuses.Active)
        {
            pdf.Paragraph("The hold is active: it has not been released.");
        }
        else
        {
            var facts = new List<(string, string?)>();
            if (hold.ReleasedAt is not null)
            {
                facts.Add(("Released by", hold.ReleasedBy is { } by ? Person(by) : ""));
                facts.Add(("Released at", PdfReport.FormatTime(hold.ReleasedAt)));
                facts.Add(("Disposition", hold.Disposition is { } d ? $"{Dispositions.Label(d)} ({d})" : ""));
                facts.Add(("Release notes", hold.ReleaseNotes));
                if (detail.ItemDispositions is { } own)
                {
                    // Items released otherwise than the hold (item_dispositions), by their reference.
                    facts.Add(("Other dispositions", string.Join("; ", detail.Items.Where(i => own.ContainsKey(i.Id))
                        .Select(i => $"{i.ReferenceDisplay}: {Dispositions.Label(own[i.Id])}"))));
                }
            }
            else
            {
                facts.Add(("Released", "Not released"));
            }
            if (hold.Status == HoldStatuses.Disposed)
            {
                var disposal = detail.History.LastOrDefault(h => h.Action == HoldAudit.ActionDisposed);
                facts.Add(("Disposed (archived)", disposal is null ? PdfReport.FormatTime(hold.UpdatedAt) : $"{PdfReport.FormatTime(disposal.At)} by {disposal.By?.Name}"));
            }
            pdf.Facts(facts);
        }

        if (signatures is { Count: > 0 })
        {
            // §11.50: each signed decision prints the signer's name, the date and time (with its zone) and the meaning.
            pdf.Heading("Electronic signatures");
            pdf.Table(
                [new("Decision", 0.9), new("Signed by", 1.7), new("Date and time", 1.35), new("Meaning", 0.9), new("Comment", 1.6), new("Check", 0.9)],
                signatures.Select(s => (IReadOnlyList<string?>)
                [
                    ActionLabel(s.Action), string.IsNullOrEmpty(s.Email) ? s.PrintedName : $"{s.PrintedName} ({s.Email})", SignatureList.Format(s.SignedAt),
                    SignatureMeanings.Label(s.Meaning), s.Comment, s.Verified ? "Verified" : "NOT matching",
                ]));
        }

        pdf.Heading("History");
        pdf.Table(
            [new("When", 1.45), new("Action", 1), new("By", 1.7), new("Details", 2.5)],
            detail.History.Select(h => (IReadOnlyList<string?>)
            [
                PdfReport.FormatTime(h.At), ActionLabel(h.Action), h.By is { } by ? Person(by) : "System", h.Summary,
            ]),
            "No history recorded.");

        return pdf.ToBytes();
    }

    private static string Person(HoldUserDto user) =>
        string.IsNullOrEmpty(user.Email) || user.Email == user.Name ? user.Name : $"{user.Name} ({user.Email})";

    private static string ActionLabel(string action) => action switch
    {
        HoldAudit.ActionCreated => "Created",
        HoldAudit.ActionReleased => "Released",
        HoldAudit.ActionDisposed => "Disposed",
        HoldAudit.ActionContainment => "Contained",
        _ => action,
    };

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
