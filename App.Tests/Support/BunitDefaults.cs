using System.Runtime.CompilerServices;
using Bunit;

namespace Operator.Tests.Support;

internal static class BunitDefaults
{
    /// <summary>
    /// bunit's WaitFor* give up after one second by default. The suite runs test classes in parallel on a two-core
    /// machine, where a render can wait that long for the renderer's dispatcher; a wait that ends in a pass returns as
    /// soon as the assertion holds, so a longer limit only changes how long a real failure takes to report.
    /// </summary>
    [ModuleInitializer]
    internal static void LongerWaits() => BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(15);
}
