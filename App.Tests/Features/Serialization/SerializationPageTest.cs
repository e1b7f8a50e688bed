using Bunit;
using Operator.Components.Shared;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Serialization;

/// <summary>
/// The page-test base with the browser's answer to the time-zone question (UTC): in loose mode the answer would be null,
/// which BrowserTimeZone does not expect, and the pages show every time through LocalTime.
/// </summary>
public abstract class SerializationPageTest : PageTest
{
    protected SerializationPageTest() =>
        JSInterop.AnswerTimeZone(BrowserZoneAnswer.Utc);
}
