using Operator.Components.Shared;

namespace Operator.Tests.Support;

/// <summary>
/// Answers the pages' time-zone question (<c>operator.timeZone</c>) as a browser in a given zone would, so a test sees
/// times in a zone other than UTC. Without an answer (loose interop answers null) times stay in UTC.
/// </summary>
internal static class BrowserZoneAnswer
{
    public static readonly BrowserTimeZone.BrowserZone Berlin = new("Europe/Berlin", -60);

    /// <summary>UTC+7 all year (no daylight saving time): shown times differ from UTC by a fixed amount.</summary>
    public static readonly BrowserTimeZone.BrowserZone Bangkok = new("Asia/Bangkok", -420);

    public static readonly TimeSpan BangkokOffset = TimeSpan.FromHours(7);

    public static readonly BrowserTimeZone.BrowserZone Utc = new("UTC", 0);

    /// <summary>Answers at once.</summary>
    public static void AnswerTimeZone(this BunitJSInterop js, BrowserTimeZone.BrowserZone zone) =>
        js.Setup<BrowserTimeZone.BrowserZone>("operator.timeZone").SetResult(zone);

    /// <summary>
    /// Holds the question until the test answers it (<c>SetResult</c>): as in a browser, where the answer comes back after
    /// every time on the page has rendered once (in UTC) and asked.
    /// </summary>
    public static JSRuntimeInvocationHandler<BrowserTimeZone.BrowserZone> HoldTimeZoneQuestion(this BunitJSInterop js) =>
        js.Setup<BrowserTimeZone.BrowserZone>("operator.timeZone");
}
