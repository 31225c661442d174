using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace RemateLive.Docs.Tests;

/// <summary>
/// Every <c>```csharp</c> block of README.md and docs/ (package READMEs included) compiles against the
/// packages. A block is compiled as written, with the implicit usings of an ASP.NET Core project; a block
/// with no <c>using</c> line of its own continues the page's program, so it also gets <c>using RemateLive;</c>
/// and may use the names of <c>SnippetContext</c> (<c>builder</c>, <c>app</c>, <c>auctionId</c>, <c>ct</c>…).
/// Blocks that declare types are compiled as a file; the others as the body of an async method.
/// README's embed block is also compiled verbatim against the packed packages by scripts/pack-check.sh.
/// </summary>
public sealed partial class DocSnippetTests
{
    private static readonly Lazy<string> Root = new(() =>
        typeof(DocSnippetTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RemateRepositoryRoot").Value!);

    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(() =>
        [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(p => MetadataReference.CreateFromFile(p))]);

    public static TheoryData<string> Snippets()
    {
        var data = new TheoryData<string>();
        foreach (var snippet in Extract())
        {
            data.Add(snippet.Where);
        }

        return data;
    }

    [Fact]
    public void The_readme_and_the_docs_have_snippets_to_check()
    {
        var all = Extract();
        Assert.Contains(all, s => s.Where.StartsWith("README.md:", StringComparison.Ordinal));
        Assert.True(all.Count >= 10, $"Only {all.Count} C# blocks found: is the extraction broken?");
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void Snippet_compiles(string where)
    {
        var snippet = Extract().Single(s => s.Where == where);
        var context = File.ReadAllText(Path.Combine(Root.Value, "tests", "RemateLive.Docs.Tests", "SnippetContext.cs.txt"));
        var options = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview);
        var compilation = CSharpCompilation.Create(
            "Snippet",
            [CSharpSyntaxTree.ParseText(context, options, "SnippetContext.cs"), CSharpSyntaxTree.ParseText(Wrap(snippet), options, where)],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, $"{where} does not compile:\n{string.Join("\n", errors)}\n---\n{snippet.Code}");
    }

    private static string Wrap(Snippet snippet)
    {
        var lines = snippet.Code.Split('\n');
        var usings = lines.Where(l => UsingLine().IsMatch(l)).ToList();
        var body = string.Join('\n', lines.Where(l => !UsingLine().IsMatch(l)));
        var text = new StringBuilder();
        foreach (var u in usings)
        {
            text.AppendLine(u);
        }

        if (usings.Count == 0)
        {
            text.AppendLine("using RemateLive;");
        }

        if (TypeDeclaration().IsMatch(body))
        {
            text.AppendLine(body);
        }
        else
        {
            text.AppendLine("internal sealed class Snippet : RemateLive.DocSnippets.SnippetContext");
            text.AppendLine("{");
            text.AppendLine("#pragma warning disable CS1998, CS0162");
            text.AppendLine("    public async Task RunAsync()");
            text.AppendLine("    {");
            text.AppendLine(body);
            text.AppendLine("    }");
            text.AppendLine("}");
        }

        return text.ToString();
    }

    private static List<Snippet> Extract()
    {
        var root = Root.Value;
        var files = new[] { Path.Combine(root, "README.md") }
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        var snippets = new List<Snippet>();
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            var name = Path.GetRelativePath(root, file).Replace('\\', '/');
            for (var i = 0; i < lines.Length; i++)
            {
                var open = Fence().Match(lines[i]);
                if (!open.Success)
                {
                    continue;
                }

                var indent = open.Groups["indent"].Value;
                var code = new List<string>();
                var start = i + 1;
                for (i++; i < lines.Length && lines[i].Trim() != "```"; i++)
                {
                    code.Add(lines[i].StartsWith(indent, StringComparison.Ordinal) ? lines[i][indent.Length..] : lines[i]);
                }

                snippets.Add(new Snippet($"{name}:{start}", string.Join('\n', code)));
            }
        }

        return snippets;
    }

    [GeneratedRegex(@"^(?<indent>\s*)```(csharp|cs|c#)\s*$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^using\s+[\w.]+\s*;\s*$")]
    private static partial Regex UsingLine();

    [GeneratedRegex(@"^(public|internal)?\s*(sealed\s+|abstract\s+|static\s+|partial\s+)*(class|record|interface|struct)\s", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();

    private sealed record Snippet(string Where, string Code);
}
