using System.Net.Http.Json;
using System.Text.Json;
using RemateLive.AspNetCore.Tests.Infrastructure;

namespace RemateLive.AspNetCore.Tests.Sales;

/// <summary>The sample host seeds a three-lot demo sale (once) when demo data is on.</summary>
public sealed class DemoSaleTests : IClassFixture<DemoSaleTests.SeedingFactory>
{
    private readonly SeedingFactory _app;

    public DemoSaleTests(SeedingFactory app) => _app = app;

    [Fact]
    public async Task The_sample_seeds_one_scheduled_three_lot_sale()
    {
        using var client = _app.CreateClient();
        var sales = await client.GetFromJsonAsync<JsonElement>("/api/sales");
        var sale = Assert.Single(sales.EnumerateArray());
        Assert.Equal("scheduled", sale.GetProperty("status").GetString());
        Assert.Equal(3, sale.GetProperty("lots").GetArrayLength());
    }

    public sealed class SeedingFactory : RemateAppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RemateLive:SeedDemoData"] = "true" };
    }
}
