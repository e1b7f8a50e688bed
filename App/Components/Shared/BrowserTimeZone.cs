using Microsoft.JSInterop;

namespace Operator.Components.Shared;

/// <summary>
/// The time zone of the browser behind this circuit, asked once per circuit. Times are stored and sent in UTC;
/// pages show them in the zone of the person looking at them (with UTC in a tooltip).
/// Until the browser has answered (the prerender, a test without JavaScript), times show in UTC and say so.
/// </summary>
public sealed class BrowserTimeZone(IJSRuntime js)
{
    private Task<TimeZoneInfo?>? _loading;

    /// <summary>The browser's zone once known, else null (times then show as UTC).</summary>
    public TimeZoneInfo? Zone { get; private set; }

    /// <summary>The zone's name as the browser gave it (<c>Europe/Berlin</c>).</summary>
    public string? Name { get; private set; }

    public Task<TimeZoneInfo?> LoadAsync() => _loading ??= AskAsync();

    private async Task<TimeZoneInfo?> AskAsync()
    {
        try
        {
            var answer = await js.InvokeAsync<BrowserZone?>("operator.timeZone");
            if (answer is null)
            {
                return null;
            }
            Zone = Resolve(answer);
            Name = Zone is null ? null : answer.Id ?? Zone.Id;
        }
        catch (Exception e) when (e is JSException or InvalidOperationException or JSDisconnectedException or TaskCanceledException)
        {
            // No browser to ask (static render, a disconnected circuit): keep UTC, and ask again next time.
            _loading = null;
        }
        return Zone;
    }

    /// <summary>The browser's IANA zone if this server knows it, else a fixed offset from the browser's current one.</summary>
    internal static TimeZoneInfo? Resolve(BrowserZone answer)
    {
        if (!string.IsNullOrWhiteSpace(answer.Id) && TimeZoneInfo.TryFindSystemTimeZoneById(answer.Id, out var zone))
        {
            return zone;
        }
        // getTimezoneOffset() is minutes *behind* UTC (Berlin in winter is -60).
        var offset = TimeSpan.FromMinutes(-answer.OffsetMinutes);
        if (offset.Duration() > TimeSpan.FromHours(14))
        {
            return null;
        }
        var name = $"UTC{(offset < TimeSpan.Zero ? "-" : "+")}{offset.Duration():hh\\:mm}";
        return TimeZoneInfo.CreateCustomTimeZone(name, offset, name, name);
    }

    public DateTimeOffset ToLocal(DateTimeOffset utc) => Zone is null ? utc.ToUniversalTime() : TimeZoneInfo.ConvertTime(utc, Zone);

    internal sealed record BrowserZone(string? Id, int OffsetMinutes);
}
