using Operator.Components.Shared;

namespace Operator.Tests.Components;

/// <summary>Times show in the browser's zone: by its IANA name when the server knows it, else by its current offset.</summary>
public sealed class BrowserTimeZoneTests
{
    [Fact]
    public void A_zone_the_server_knows_is_used_by_name_with_its_daylight_saving_rules()
    {
        var zone = BrowserTimeZone.Resolve(new BrowserTimeZone.BrowserZone("Europe/Berlin", -60))!;
        var summer = TimeZoneInfo.ConvertTime(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero), zone);
        var winter = TimeZoneInfo.ConvertTime(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero), zone);
        Assert.Equal(14, summer.Hour);
        Assert.Equal(13, winter.Hour);
    }

    [Theory]
    [InlineData(-420, "UTC+07:00", 19)]
    [InlineData(300, "UTC-05:00", 7)]
    [InlineData(0, "UTC+00:00", 12)]
    public void An_unknown_zone_falls_back_to_the_browsers_current_offset(int browserOffsetMinutes, string name, int localHour)
    {
        var zone = BrowserTimeZone.Resolve(new BrowserTimeZone.BrowserZone("Mars/Olympus_Mons", browserOffsetMinutes))!;
        Assert.Equal(name, zone.Id);
        Assert.Equal(localHour, TimeZoneInfo.ConvertTime(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero), zone).Hour);
    }

    [Fact]
    public void An_impossible_offset_leaves_times_in_utc()
    {
        Assert.Null(BrowserTimeZone.Resolve(new BrowserTimeZone.BrowserZone(null, 5000)));
    }
}
