using Microsoft.AspNetCore.Components;
using Operator.Components.Layout;
using Operator.Infrastructure.Auth;
using Operator.Tests.Support;

namespace Operator.Tests.Components;

/// <summary>An unexpected exception in a page shows a message and a way to carry on inside the layout, never a dead page.</summary>
public sealed class LayoutErrorBoundaryTests : PageTest
{
    private sealed class FailingPage : ComponentBase
    {
        public static bool Fail { get; set; } = true;

        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder)
        {
            if (Fail)
            {
                throw new InvalidOperationException("The lineage query could not be translated.");
            }
            builder.AddMarkupContent(0, "<h1 data-testid=\"recovered\">Lineage</h1>");
        }
    }

    [Fact]
    public void A_page_that_throws_shows_the_message_keeps_the_navigation_and_can_be_tried_again()
    {
        SignIn(TestPrincipals.User(Roles.Operator));
        FailingPage.Fail = true;
        var layout = Render<MainLayout>(p => p.Add(l => l.Body, b => { b.OpenComponent<FailingPage>(0); b.CloseComponent(); }));

        Assert.Contains("Something went wrong on this page", layout.Find("[data-testid='page-error']").TextContent);
        Assert.DoesNotContain("could not be translated", layout.Markup);
        Assert.NotEmpty(layout.FindAll("[data-testid='nav-link']"));

        FailingPage.Fail = false;
        layout.Find("[data-testid='page-error-retry']").Click();
        layout.WaitForAssertion(() => Assert.Equal("Lineage", layout.Find("[data-testid='recovered']").TextContent));
        Assert.Empty(layout.FindAll("[data-testid='page-error']"));
    }
}
