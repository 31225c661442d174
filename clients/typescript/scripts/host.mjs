// Starts the REAL sample host (samples/RemateLive.Sample) as a process on a free loopback port, for the
// OpenAPI generator and the integration tests. In-memory by default; pass env to choose PostgreSQL etc.
// The host's dll: REMATE_SAMPLE_DLL, else `dotnet build samples/RemateLive.Sample -p:SkipClientBuild=true`.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..', '..');
const sampleDir = join(repoRoot, 'samples', 'RemateLive.Sample');
export const ADMIN_PASSWORD = 'client-tests-admin-pass';

export async function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

let cachedDll;
/** The sample host's dll (built once per process when REMATE_SAMPLE_DLL is not given). */
export function sampleDll() {
  if (cachedDll) return cachedDll;
  const fromEnv = process.env.REMATE_SAMPLE_DLL;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`REMATE_SAMPLE_DLL does not exist: ${fromEnv}`);
    return (cachedDll = resolve(fromEnv));
  }
  const r = spawnSync('dotnet', ['build', 'samples/RemateLive.Sample', '-p:SkipClientBuild=true', '-nologo', '-v', 'q'], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`dotnet build samples/RemateLive.Sample failed (${r.status ?? r.signal})`);
  const candidates = [
    join(sampleDir, 'bin', 'Debug', 'net10.0', 'RemateLive.Sample.dll'),
    join(repoRoot, 'artifacts', 'bin', 'RemateLive.Sample', 'debug', 'RemateLive.Sample.dll'),
  ];
  const dll = candidates.find((p) => existsSync(p));
  if (!dll) throw new Error(`built, but none of ${candidates.join(', ')} exists`);
  return (cachedDll = dll);
}

/**
 * Starts the host; resolves when /health answers. `restart()` stops it and starts it again on the
 * SAME port (a client reconnects to the same URL), with the same environment.
 */
export async function startHost({ env = {}, port, dll = sampleDll() } = {}) {
  port ??= await freePort();
  const base = `http://127.0.0.1:${port}`;
  // Its own HOME and temp dir: the data-protection key ring must survive a restart (tokens stay valid).
  const home = mkdtempSync(join(tmpdir(), 'rl-client-host-'));
  const logPath = join(home, 'host.log');
  const fullEnv = {
    ...process.env,
    HOME: home,
    ASPNETCORE_ENVIRONMENT: 'Development',
    RemateLive__Admin__Password: ADMIN_PASSWORD,
    RemateLive__SeedDemoData: 'false',
    DOTNET_NOLOGO: '1',
    ...env,
  };
  let proc;
  async function launch() {
    const out = createWriteStream(logPath, { flags: 'a' });
    proc = spawn('dotnet', [dll, '--urls', base, '--contentRoot', sampleDir], {
      cwd: sampleDir,
      env: fullEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout.pipe(out);
    proc.stderr.pipe(out);
    const p = proc;
    let exited = null;
    p.on('exit', (code, signal) => (exited = code ?? signal));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (exited !== null) throw new Error(`the host exited (${exited}) before it was ready; see ${logPath}`);
      try {
        const r = await fetch(`${base}/health`);
        if (r.status === 200) return;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`the host did not answer ${base}/health within 60 s; see ${logPath}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  async function stop() {
    const p = proc;
    if (!p || p.exitCode !== null || p.signalCode) return;
    const done = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    const timer = setTimeout(() => p.kill('SIGKILL'), 8000);
    await done;
    clearTimeout(timer);
  }
  const killOnExit = () => proc && proc.exitCode === null && proc.kill('SIGKILL');
  process.on('exit', killOnExit);
  await launch();
  return {
    base,
    port,
    logPath,
    stop: async () => {
      process.off('exit', killOnExit);
      await stop();
    },
    restart: async () => {
      await stop();
      await launch();
    },
  };
}
