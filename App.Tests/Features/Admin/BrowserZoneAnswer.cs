using Operator.Components.Shared;

namespace Operator.Tests.Features;

/// <summary>
/// Answers the pages' one JavaScript question (the browser's time zone) as a browser in Bangkok would (UTC+7, no daylight
/// saving time), so a test sees times in a zone other than UTC. Loose JavaScript interop would answer nothing at all.
/// </summary>
internal static class BrowserZoneAnswer
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    private static readonly BrowserTimeZone.BrowserZone Bangkok = new("Asia/Bangkok", -420);

    /// <summary>Answers at once.</summary>
    public static void AnswerUtcPlus7(this BunitJSInterop js) => js.Setup<BrowserTimeZone.BrowserZone>("operator.timeZone").SetResult(Bangkok);

    /// <summary>
    /// Holds the question until the test calls <see cref="Answer"/>: as in a browser, where the answer comes back after
    /// every time on the page has rendered once (in UTC) and asked.
    /// </summary>
    public static JSRuntimeInvocationHandler<BrowserTimeZone.BrowserZone> HoldZoneQuestion(this BunitJSInterop js) =>
        js.Setup<BrowserTimeZone.BrowserZone>("operator.timeZone");

    public static void Answer(this JSRuntimeInvocationHandler<BrowserTimeZone.BrowserZone> question) => question.SetResult(Bangkok);
}
