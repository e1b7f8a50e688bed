using MudBlazor;
using Operator.Infrastructure.Api;

namespace Operator.Infrastructure.Signatures;

/// <summary>What a page asks the signer to sign: the decision in words and the meaning and comment it suggests.</summary>
public sealed record SigningRequest(string Title, string Decision, string? Meaning = SignatureMeanings.Approved, string? Comment = null, bool Rejection = false);

/// <summary>The pages' way to run a signed decision.</summary>
public static class Signing
{
    /// <summary>
    /// Runs <paramref name="decide"/> with the caller's signature from <see cref="SignDialog"/> when the organization
    /// requires signatures, and without one otherwise. Null when the signer cancelled.
    /// </summary>
    public static async Task<Result<T>?> DecideAsync<T>(this IDialogService dialogs, SignatureService signatures, SigningRequest request,
        Func<SignatureInput?, Task<Result<T>>> decide)
    {
        if (!await signatures.RequiredAsync()) return await decide(null);
        Result<T>? last = null;
        var parameters = new DialogParameters<SignDialog>
        {
            { x => x.Decision, request.Decision },
            { x => x.Meaning, request.Meaning },
            { x => x.Comment, request.Comment },
            { x => x.Rejection, request.Rejection },
            {
                x => x.Submit, async input =>
                {
                    var result = await decide(input);
                    last = result;
                    return result.Error;
                }
            },
        };
        var dialog = await dialogs.ShowAsync<SignDialog>(request.Title, parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true, BackdropClick = false });
        var closed = await dialog.Result;
        return closed is null || closed.Canceled ? null : last;
    }
}
