using Bunit;
using Operator.Components.Shared;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Serials;

/// <summary>
/// The serial pages' bunit base: LocalTime asks the browser for its time zone, and loose JavaScript interop would
/// answer null, so this answers as a browser in Berlin does (times then show in Berlin time, UTC in the tooltip).
/// </summary>
public abstract class SerialsPageTest : PageTest
{
    protected SerialsPageTest()
    {
        JSInterop.AnswerTimeZone(BrowserZoneAnswer.Berlin);
    }
}
