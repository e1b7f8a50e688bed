using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Operator.Infrastructure.Tenancy;

/// <summary>Keeps <see cref="CurrentUser"/> of a Blazor circuit in step with its authentication state.</summary>
public sealed class CircuitUserHandler(AuthenticationStateProvider auth, CurrentUser user) : CircuitHandler, IDisposable
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        auth.AuthenticationStateChanged += OnChanged;
        return base.OnCircuitOpenedAsync(circuit, cancellationToken);
    }

    public override async Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        user.Set((await auth.GetAuthenticationStateAsync()).User);
    }

    private void OnChanged(Task<AuthenticationState> task) => _ = Update(task);

    private async Task Update(Task<AuthenticationState> task)
    {
        try
        {
            user.Set((await task).User);
        }
        catch (Exception)
        {
            // The circuit keeps its previous user; the next auth state change or reconnect sets it again.
        }
    }

    public void Dispose() => auth.AuthenticationStateChanged -= OnChanged;
}
