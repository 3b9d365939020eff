using System.Net;
using System.Text;
using ResponseFunctions.Playbook.Graph;

namespace ResponseFunctions.Playbook.Tests.Throttling;

/// <summary>The read cache answers a repeated read of one object within a phase, and never one this process has written to since.</summary>
public sealed class GraphReadCacheTests
{
    private const string Adele = "5c1a9e2b-0d4f-4b7e-8a3c-1e2f3a4b5c01";
    private const string Alex = "5c1a9e2b-0d4f-4b7e-8a3c-1e2f3a4b5c02";
    private const string Graph = "https://graph.microsoft.com/v1.0/";

    [Fact]
    public async Task Get_SameUserTwiceThenAfterAWrite_SecondServedFromTheFirstThirdSent()
    {
        var (http, transport) = Client();

        var first = await http.GetStringAsync($"{Graph}users/{Adele}?$select=id");
        var second = await http.GetStringAsync($"{Graph}users/{Adele}?$select=id");
        using var patch = await http.PatchAsync($"{Graph}users/{Adele}", new StringContent("{\"accountEnabled\":false}"));
        await http.GetStringAsync($"{Graph}users/{Adele}?$select=id");

        Assert.Equal(first, second);
        Assert.Equal(["GET", "PATCH", "GET"], transport.Sent.Select(r => r.Method.Method));
    }

    [Fact]
    public async Task Get_FreshReadAsked_AlwaysSent()
    {
        var (http, transport) = Client();
        await http.GetAsync($"{Graph}users/{Adele}");

        using var fresh = new HttpRequestMessage(HttpMethod.Get, $"{Graph}users/{Adele}");
        fresh.Options.Set(FreshRead.Key, new FreshRead());
        await http.SendAsync(fresh);

        Assert.Equal(2, transport.Sent.Count);
    }

    [Fact]
    public async Task Get_RoleRemovedByThisProcess_RoleAndGroupReadsOfEveryoneSentAgain()
    {
        var (http, transport) = Client();
        var assignments = $"{Graph}roleManagement/directory/roleAssignments?$filter=principalId eq '{Adele}'";
        var groups = $"{Graph}users/{Adele}/memberOf/graph.group";
        await http.GetAsync(assignments);
        await http.GetAsync(groups);
        await http.GetAsync($"{Graph}users/{Adele}/authentication/methods");

        using var delete = await http.DeleteAsync($"{Graph}roleManagement/directory/roleAssignments/ra-1");
        await http.GetAsync(assignments);
        await http.GetAsync(groups);
        await http.GetAsync($"{Graph}users/{Adele}/authentication/methods");

        Assert.Equal(6, transport.Sent.Count); // the methods read was not touched by a role removal
    }

    [Fact]
    public async Task Get_UserReadByPrincipalNameThenById_OneRequest()
    {
        var (http, transport) = Client();

        await http.GetAsync($"{Graph}users/adele.vance@contoso.onmicrosoft.com?$select=id,displayName");
        var byId = await http.GetStringAsync($"{Graph}users/{Adele}?$select=id,displayName");

        Assert.Single(transport.Sent);
        Assert.Contains(Adele, byId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UsersListedThenEachReadWithTheSameSelect_AnsweredFromTheList()
    {
        var (http, transport) = Client();

        await http.GetAsync($"{Graph}users?%24filter=id%20in%20('{Adele}','{Alex}')&%24select=id,displayName");
        var adele = await http.GetStringAsync($"{Graph}users/{Adele}?%24select=id,displayName");
        var alex = await http.GetStringAsync($"{Graph}users/{Alex}?%24select=id,displayName");
        await http.GetAsync($"{Graph}users/{Alex}?%24select=id");

        Assert.Equal(2, transport.Sent.Count); // the list, then the read of other properties
        Assert.Contains(Adele, adele, StringComparison.Ordinal);
        Assert.Contains(Alex, alex, StringComparison.Ordinal);
        Assert.DoesNotContain(Adele, alex, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UserListedThenWrittenTo_ItsReadAndTheListSentAgainTheOtherUserStillAnswered()
    {
        var (http, transport) = Client();
        var list = $"{Graph}users?%24filter=id%20in%20('{Adele}','{Alex}')&%24select=id";

        await http.GetAsync(list);
        using var patch = await http.PatchAsync($"{Graph}users/{Adele}", new StringContent("{\"accountEnabled\":false}"));
        await http.GetAsync($"{Graph}users/{Adele}?%24select=id");
        await http.GetAsync($"{Graph}users/{Alex}?%24select=id");
        await http.GetAsync(list);

        Assert.Equal(["GET", "PATCH", "GET", "GET"], transport.Sent.Select(r => r.Method.Method));
        Assert.EndsWith($"users/{Adele}?%24select=id", transport.Sent[2].RequestUri!.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("filter", transport.Sent[3].RequestUri!.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_OtherPaths_NeverCached()
    {
        var (http, transport) = Client();

        await http.GetAsync($"{Graph}servicePrincipals/sp-1");
        await http.GetAsync($"{Graph}servicePrincipals/sp-1");

        Assert.Equal(2, transport.Sent.Count);
    }

    private static (HttpClient Http, Transport Transport) Client()
    {
        var transport = new Transport();
        return (new HttpClient(new GraphReadCache() { InnerHandler = transport }), transport);
    }

    private sealed class Transport : HttpMessageHandler
    {
        public List<HttpRequestMessage> Sent { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Sent.Add(request);
            var body = request.RequestUri!.AbsolutePath.EndsWith("/users", StringComparison.Ordinal)
                ? $"{{\"value\":[{{\"id\":\"{Adele}\",\"n\":{Sent.Count}}},{{\"id\":\"{Alex}\",\"n\":{Sent.Count}}}]}}"
                : $"{{\"id\":\"{Adele}\",\"n\":{Sent.Count}}}";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
