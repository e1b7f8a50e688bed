using Microsoft.Extensions.DependencyInjection;
using Operator.Features.MasterData;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;
using Operator.Tests.Support;

namespace Operator.Tests.Features.MasterData;

/// <summary>
/// The master-data lists sort on the server by the keys they declare, on both providers. Each test makes its own rows
/// under a prefix of its own and searches for it, so rows other tests add to the shared database do not count.
/// </summary>
public abstract class MasterDataSortTests<TFactory>(TFactory app) : IClassFixture<TFactory> where TFactory : OperatorFactory
{
    private Task<T> AsAdmin<T>(Func<MasterDataService, Task<T>> work) =>
        app.AsUserAsync(DemoUsers.Admin, s => work(s.GetRequiredService<MasterDataService>()));

    private static string Prefix() => "S" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();

    private async Task<(Guid Part, Guid Path)> PartAndPathAsync(string prefix)
    {
        var part = await AsAdmin(s => s.CreatePartAsync(new CreatePartRequest($"{prefix}-P", prefix[..7], "Sorted part", null, null)));
        var path = await AsAdmin(s => s.CreatePathAsync(new CreatePathRequest($"{prefix}-PATH", "Sorted path", null, [new CreateStepRequest("OP-1", "Cut")])));
        return (part.Value.Id, path.Value.Id);
    }

    [Fact]
    public async Task Parts_sort_by_name_both_ways_and_by_number_by_default()
    {
        var prefix = Prefix();
        // Numbers and names in different orders, so a list that ignored the sort would be seen.
        string[][] made = [["1", "Cuff"], ["2", "Apron"], ["3", "Belt"]];
        foreach (var (row, i) in made.Select((r, i) => (r, i)))
        {
            var created = await AsAdmin(s => s.CreatePartAsync(new CreatePartRequest($"{prefix}-{row[0]}", $"Q{prefix[1..7]}{i}", row[1], null, null)));
            Assert.True(created.IsSuccess, created.Error?.Message);
        }

        async Task<string[]> Names(string? sort) =>
            (await AsAdmin(s => s.ListPartsAsync(new ListQuery(prefix, Sort: sort)))).Value.Items.Select(p => p.Name).ToArray();

        Assert.Equal(["Apron", "Belt", "Cuff"], await Names("name"));
        Assert.Equal(["Cuff", "Belt", "Apron"], await Names("-name"));
        Assert.Equal(["Cuff", "Apron", "Belt"], await Names(null));
        Assert.Equal(["Belt", "Apron", "Cuff"], await Names("-number"));
    }

    [Fact]
    public async Task Work_orders_sort_by_quantity_and_equal_quantities_keep_the_number_order()
    {
        var prefix = Prefix();
        var (part, path) = await PartAndPathAsync(prefix);
        foreach (var (number, quantity) in new[] { ("A", 30), ("B", 10), ("C", 30), ("D", 20) })
        {
            var created = await AsAdmin(s => s.CreateWorkOrderAsync(new CreateWorkOrderRequest($"{prefix}-WO-{number}", part, path, quantity, null)));
            Assert.True(created.IsSuccess, created.Error?.Message);
        }

        async Task<string[]> Numbers(string sort) =>
            (await AsAdmin(s => s.ListWorkOrdersAsync(new ListQuery(prefix + "-WO", Sort: sort)))).Value.Items.Select(w => w.Number[^1..]).ToArray();

        Assert.Equal(["B", "D", "A", "C"], await Numbers("quantity"));
        // Descending by quantity; A and C tie and stay in number order.
        Assert.Equal(["A", "C", "D", "B"], await Numbers("-quantity"));
        // Paged one row at a time, the tie-break keeps each row on exactly one page.
        var paged = new List<string>();
        for (var offset = 0; offset < 4; offset++)
        {
            var page = await AsAdmin(s => s.ListWorkOrdersAsync(new ListQuery(prefix + "-WO", 1, offset, "-quantity")));
            paged.Add(page.Value.Items.Single().Number[^1..]);
        }
        Assert.Equal(["A", "C", "D", "B"], paged);
    }

    [Fact]
    public async Task Plates_and_batches_sort_by_their_quantity_and_paths_by_name()
    {
        var prefix = Prefix();
        var (part, _) = await PartAndPathAsync(prefix);
        foreach (var (number, quantity) in new[] { ("A", 2.5), ("B", 10.0), ("C", 0.5) })
        {
            Assert.True((await AsAdmin(s => s.CreateLicensePlateAsync(new CreateLicensePlateRequest($"{prefix}-LP-{number}", part, quantity, "kg", null)))).IsSuccess);
            Assert.True((await AsAdmin(s => s.CreateBatchAsync(new CreateBatchRequest($"{prefix}-B-{number}", part, quantity, "kg", null)))).IsSuccess);
        }
        foreach (var (code, name) in new[] { ("1", "Stitch"), ("2", "Glue"), ("3", "Press") })
        {
            Assert.True((await AsAdmin(s => s.CreatePathAsync(new CreatePathRequest($"{prefix}-R{code}", name, null, [new CreateStepRequest("OP-1", "Do")])))).IsSuccess);
        }

        var plates = await AsAdmin(s => s.ListLicensePlatesAsync(new ListQuery(prefix + "-LP", Sort: "quantity")));
        Assert.Equal(["C", "A", "B"], plates.Value.Items.Select(l => l.Number[^1..]));
        var batches = await AsAdmin(s => s.ListBatchesAsync(new ListQuery(prefix + "-B-", Sort: "-quantity")));
        Assert.Equal(["B", "A", "C"], batches.Value.Items.Select(b => b.Number[^1..]));
        var paths = await AsAdmin(s => s.ListPathsAsync(new ListQuery(prefix + "-R", Sort: "name")));
        Assert.Equal(["Glue", "Press", "Stitch"], paths.Value.Items.Select(p => p.Name));
    }

    [Fact]
    public async Task Every_declared_key_translates_both_ways()
    {
        // Over the demo rows: a key whose column a provider could not order by fails here rather than in a page.
        foreach (var key in new[] { "number", "sku", "name", "uom", "createdAt" })
            foreach (var sort in new[] { key, "-" + key }) Assert.True((await AsAdmin(s => s.ListPartsAsync(new ListQuery(Sort: sort)))).IsSuccess, sort);
        foreach (var key in new[] { "code", "name" })
            foreach (var sort in new[] { key, "-" + key }) Assert.True((await AsAdmin(s => s.ListPathsAsync(new ListQuery(Sort: sort)))).IsSuccess, sort);
        foreach (var key in new[] { "number", "partNumber", "pathCode", "quantity", "status", "dueAt", "createdAt" })
            foreach (var sort in new[] { key, "-" + key }) Assert.True((await AsAdmin(s => s.ListWorkOrdersAsync(new ListQuery(Sort: sort)))).IsSuccess, sort);
        foreach (var key in new[] { "number", "partNumber", "quantity", "locationName", "qaStatus", "createdAt" })
            foreach (var sort in new[] { key, "-" + key }) Assert.True((await AsAdmin(s => s.ListLicensePlatesAsync(new ListQuery(Sort: sort)))).IsSuccess, sort);
        foreach (var key in new[] { "number", "partNumber", "quantity", "producedAt", "createdAt" })
            foreach (var sort in new[] { key, "-" + key }) Assert.True((await AsAdmin(s => s.ListBatchesAsync(new ListQuery(Sort: sort)))).IsSuccess, sort);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("-")]
    [InlineData("Number")]
    public async Task An_unknown_sort_key_is_refused_naming_sort_and_the_keys(string sort)
    {
        var result = await AsAdmin(s => s.ListPartsAsync(new ListQuery(Sort: sort)));
        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorKind.Validation, result.Error!.Kind);
        var issue = Assert.Single(result.Error.Issues);
        Assert.Equal("sort", issue.Field);
        Assert.Equal("sort must be one of number, sku, name, uom, createdAt (prefix - for descending)", issue.Message);
    }

    [Fact]
    public async Task A_list_without_sort_keys_refuses_a_sort()
    {
        var result = await AsAdmin(s => s.ListLocationsAsync(new ListQuery(Sort: "code")));
        Assert.Equal("sort", Assert.Single(result.Error!.Issues).Field);
    }
}

public sealed class SqliteMasterDataSortTests(OperatorFactory app) : MasterDataSortTests<OperatorFactory>(app);

public sealed class PostgresMasterDataSortTests(PostgresOperatorFactory app) : MasterDataSortTests<PostgresOperatorFactory>(app);
