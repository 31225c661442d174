#!/usr/bin/env bash
# Packaging check: packs every packable project into a local folder, then builds and runs a throwaway
# consumer web app that references RemateLive.AspNetCore, .Postgres and .Redis as PACKAGES from that folder (not project
# reference) and checks GET /health = 200 and GET /api/auctions = 200 JSON; then a console app with RemateLive.Client
# as a PACKAGE talks to that consumer over a real socket. Exits non-zero on any failure.
#
#   scripts/pack-check.sh            # everything under a temp dir, removed on exit
#   scripts/test-env.sh -- scripts/pack-check.sh   # also runs the consumer on PostgreSQL + Redis
#   KEEP=1 scripts/pack-check.sh     # keep the temp dir (packages, consumer, logs) for inspection
#
# Each run packs a unique prerelease version (MinVerVersionOverride: it wins over the git tag), so NuGet's
# global cache can never serve a stale package.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d /tmp/remate-pack-check.XXXXXX)"
packages="$work/packages"
consumer="$work/consumer"
version="0.1.0-check.$(date +%Y%m%d%H%M%S).$$"
app_pid=""
started=$SECONDS

cleanup() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
  fi
  if [ "${KEEP:-0}" = "1" ]; then echo "pack-check: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

fail() { echo "pack-check: FAILED: $*" >&2; exit 1; }
step() { echo "pack-check: [$((SECONDS - started))s] $*"; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

projects=(RemateLive.Core RemateLive.Testing RemateLive.AspNetCore RemateLive.Postgres RemateLive.Redis RemateLive.Client)
for p in "${projects[@]}"; do
  step "dotnet pack src/$p ($version)"
  dotnet pack "$repo/src/$p/$p.csproj" -c Release -o "$packages" --artifacts-path "$work/build" \
    -p:MinVerVersionOverride="$version" -v quiet -nologo >"$work/pack-$p.log" 2>&1 || { cat "$work/pack-$p.log"; fail "dotnet pack $p"; }
done

# Every package carries its README and XML docs, and has a symbols package next to it.
for p in "${projects[@]}"; do
  nupkg="$packages/$p.$version.nupkg"
  [ -f "$nupkg" ] || fail "missing $nupkg"
  [ -f "$packages/$p.$version.snupkg" ] || fail "missing symbols package for $p"
  listing="$(unzip -l "$nupkg")"
  grep -q " README.md$" <<<"$listing" || fail "$p has no README.md"
  grep -q "lib/net10.0/$p.dll$" <<<"$listing" || fail "$p has no lib/net10.0/$p.dll"
  grep -q "lib/net10.0/$p.xml$" <<<"$listing" || fail "$p has no XML documentation"
  # A package page has no repository around it: every link in the README must be absolute.
  readme="$(unzip -p "$nupkg" README.md)"
  if grep -qE '\]\((\.\.?/|[A-Za-z0-9_-]+\.md)' <<<"$readme"; then fail "$p's README has a relative link"; fi
  unzip -p "$nupkg" "$p.nuspec" | grep -q "<repository type=\"git\" url=\"https://" || fail "$p has no repository URL"
done
step "packages OK: $(cd "$packages" && ls | tr '\n' ' ')"

# The consumer: its own nuget.config ADDS the local folder (the machine's sources stay) and maps
# RemateLive.* to it and everything else to the machine's "nuget.org" source.
mkdir -p "$consumer"
cat >"$consumer/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="remate-local" value="$packages" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="remate-local">
      <package pattern="RemateLive.*" />
    </packageSource>
    <packageSource key="nuget.org">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
</configuration>
XML
cat >"$consumer/Consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="RemateLive.AspNetCore" Version="$version" />
    <PackageReference Include="RemateLive.Postgres" Version="$version" />
    <PackageReference Include="RemateLive.Redis" Version="$version" />
  </ItemGroup>
</Project>
XML
# The whole app: the "embed in ten lines" promise of docs/getting-started.md.
cat >"$consumer/Program.cs" <<'CS'
using RemateLive;

var builder = WebApplication.CreateBuilder(args);
var remate = builder.Services.AddRemateLive();
if (builder.Configuration["Db"] is { Length: > 0 } db) remate.UsePostgres(db).ApplyMigrationsOnStartup();
if (builder.Configuration["Redis"] is { Length: > 0 } redis) remate.UseRedis(redis);
var app = builder.Build();
app.MapRemateLive();
app.Run();
CS
[ "$(wc -l <"$consumer/Program.cs")" -le 10 ] || fail "Program.cs is longer than 10 lines"

step "dotnet build consumer (package reference RemateLive.AspNetCore $version)"
dotnet build "$consumer/Consumer.csproj" -c Release -o "$consumer/out" -nologo -v quiet >"$work/consumer-build.log" 2>&1 \
  || { cat "$work/consumer-build.log"; fail "consumer build"; }
grep -q "$packages" "$consumer/obj/project.assets.json" || fail "RemateLive.AspNetCore was not restored from the local folder"
[ -f "$consumer/out/RemateLive.AspNetCore.dll" ] || fail "RemateLive.AspNetCore.dll not in the consumer's output"

# A console app that references RemateLive.Client as a PACKAGE and talks to the running consumer over a real
# socket: an unknown auction must come back as RemateLiveClientException NOT_FOUND (the package loads, resolves
# its dependencies and speaks the protocol).
client_consumer="$work/client-consumer"
mkdir -p "$client_consumer"
cp "$consumer/nuget.config" "$client_consumer/"
cat >"$client_consumer/ClientConsumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="RemateLive.Client" Version="$version" />
  </ItemGroup>
</Project>
XML
cat >"$client_consumer/Program.cs" <<'CS'
using RemateLive.Client;

try
{
    await using var client = await RemateLiveClient.ConnectAsync(new() { BaseAddress = new Uri(args[0]), Username = "packcheck" }, Guid.NewGuid().ToString());
    Console.WriteLine("connected to an auction that does not exist?");
    return 1;
}
catch (RemateLiveClientException ex)
{
    Console.WriteLine(ex.Code);
    return ex.Code == "NOT_FOUND" ? 0 : 1;
}
CS
step "dotnet build client consumer (package reference RemateLive.Client $version)"
dotnet build "$client_consumer/ClientConsumer.csproj" -c Release -o "$client_consumer/out" -nologo -v quiet >"$work/client-consumer-build.log" 2>&1 \
  || { cat "$work/client-consumer-build.log"; fail "client consumer build"; }
grep -q "$packages" "$client_consumer/obj/project.assets.json" || fail "RemateLive.Client was not restored from the local folder"

# The README's embed snippet, verbatim, must compile against the same packages (it is what people paste).
readme_app="$work/readme-snippet"
mkdir -p "$readme_app"
cp "$consumer/nuget.config" "$consumer/Consumer.csproj" "$readme_app/"
python3 - "$repo/README.md" "$readme_app/Program.cs" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
section = text.split("## Embed it in your app", 1)[1]
match = re.search(r"```csharp\n(.*?)```", section, re.S)
assert match, "no csharp block under '## Embed it in your app'"
open(sys.argv[2], "w", encoding="utf-8").write(match.group(1))
PY
step "dotnet build the README's embed snippet (verbatim)"
dotnet build "$readme_app/Consumer.csproj" -c Release -o "$readme_app/out" -nologo -v quiet >"$work/readme-build.log" 2>&1 \
  || { cat "$readme_app/Program.cs" "$work/readme-build.log"; fail "the README's embed snippet does not compile"; }

# Runs the consumer with extra arguments and checks /health and /api/auctions.
run_consumer() {
  local label="$1"; shift
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
  url="http://127.0.0.1:$port"
  step "run consumer ($label) at $url"
  (cd "$consumer/out" && exec dotnet Consumer.dll --urls "$url" "$@") >"$work/consumer-run-$label.log" 2>&1 &
  app_pid=$!

  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$url/health" 2>/dev/null && break
    kill -0 "$app_pid" 2>/dev/null || { cat "$work/consumer-run-$label.log"; fail "consumer ($label) exited"; }
    sleep 0.5
  done

  health_status="$(curl -sS -o "$work/health.json" -w '%{http_code}' "$url/health")" || fail "GET /health: no answer"
  [ "$health_status" = "200" ] || { cat "$work/health.json"; fail "GET /health ($label) returned $health_status"; }
  auctions_status="$(curl -sS -o "$work/auctions.json" -w '%{http_code} %{content_type}' "$url/api/auctions")" || fail "GET /api/auctions: no answer"
  case "$auctions_status" in
    "200 application/json"*) ;;
    *) cat "$work/auctions.json"; fail "GET /api/auctions ($label) returned '$auctions_status'" ;;
  esac
  python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); assert isinstance(v, list), v' "$work/auctions.json" \
    || fail "GET /api/auctions is not a JSON array"
  step "$label: GET /health = 200 $(head -c 120 "$work/health.json")…; GET /api/auctions = $auctions_status"
  client_out="$(dotnet "$client_consumer/out/ClientConsumer.dll" "$url" 2>&1)" || { echo "$client_out"; fail "RemateLive.Client against the consumer ($label)"; }
  step "$label: RemateLive.Client (package) over a real socket: unknown auction → $client_out"

  kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=""
}

run_consumer in-memory
# With the servers of scripts/test-env.sh, the same ten lines run on PostgreSQL and Redis from the packages.
if [ -n "${REMATE_TEST_POSTGRES:-}" ] && [ -n "${REMATE_TEST_REDIS:-}" ]; then
  run_consumer postgres-redis --Db "$REMATE_TEST_POSTGRES" --Redis "$REMATE_TEST_REDIS" \
    --RemateLive:Redis:KeyPrefix "packcheck:"
  grep -qi "postgres" "$work/health.json" || fail "/health does not report PostgreSQL"
  grep -qi "redis" "$work/health.json" || fail "/health does not report Redis"
fi
echo "pack-check: OK (${#projects[@]} packages, consumer app from packages) in $((SECONDS - started)) s"
