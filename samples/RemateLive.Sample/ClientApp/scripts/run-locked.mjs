#!/usr/bin/env node
// Runs `npm ci` or `npm run build` for this client at most once at a time, and only when still needed.
//
//   node scripts/run-locked.mjs install   # npm ci when node_modules/.package-lock.json is missing or older
//                                         # than package-lock.json / package.json
//   node scripts/run-locked.mjs build     # npm run build when ../wwwroot/index.html is missing or older
//                                         # than src/**, index.html, package*.json, vite.config.ts, tsconfig*.json
//   add --force to skip the freshness check.
//
// Several builds of the host (or a build and `npm run e2e`) may start at once; they would run npm ci /
// vite's emptyOutDir concurrently in the same folders and break each other. A lock directory (mkdir is
// atomic everywhere) serialises them, and the freshness check is repeated inside the lock, so the
// second one finds the work done and returns at once. MSBuild's Inputs/Outputs stay the fast path.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const clientDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outIndex = resolve(clientDir, '..', 'wwwroot', 'index.html');
const lockDir = join(tmpdir(), `remate-clientapp-${createHash('sha1').update(clientDir).digest('hex').slice(0, 12)}.lock`);
const [kind, ...flags] = process.argv.slice(2);
const force = flags.includes('--force');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : -1);
function newest(paths) {
  let max = -1;
  for (const p of paths) {
    if (!existsSync(p)) continue;
    const st = statSync(p);
    if (st.isDirectory()) max = Math.max(max, newest(readdirSync(p).map((n) => join(p, n))));
    else max = Math.max(max, st.mtimeMs);
  }
  return max;
}

const jobs = {
  install: {
    output: join(clientDir, 'node_modules', '.package-lock.json'),
    inputs: () => [join(clientDir, 'package-lock.json'), join(clientDir, 'package.json')],
    args: ['ci', '--no-audit', '--no-fund'],
  },
  build: {
    output: outIndex,
    inputs: () => [
      join(clientDir, 'src'),
      join(clientDir, 'index.html'),
      join(clientDir, 'package.json'),
      join(clientDir, 'package-lock.json'),
      join(clientDir, 'vite.config.ts'),
      // @remate-live/client, which `npm run build` rebuilds first (prebuild).
      join(clientDir, '..', '..', '..', 'clients', 'typescript', 'src'),
      join(clientDir, '..', '..', '..', 'clients', 'typescript', 'package.json'),
      ...readdirSync(clientDir)
        .filter((n) => /^tsconfig.*\.json$/.test(n))
        .map((n) => join(clientDir, n)),
    ],
    args: ['run', 'build'],
  },
};
const job = jobs[kind];
if (!job) {
  console.error('usage: run-locked.mjs install|build [--force]');
  process.exit(2);
}
const stale = () => force || mtime(job.output) < 0 || mtime(job.output) < newest(job.inputs());

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

async function acquire() {
  const deadline = Date.now() + 15 * 60_000;
  let told = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      return;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let owner = NaN;
    try {
      owner = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
    } catch {
      /* being created or removed */
    }
    const age = Date.now() - mtime(lockDir);
    if ((Number.isInteger(owner) && owner > 0 && !alive(owner)) || age > 15 * 60_000) {
      rmSync(lockDir, { recursive: true, force: true }); // left behind by a killed run
      continue;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockDir}`);
    if (!told) {
      console.log(`ClientApp: waiting for another ${kind} of this client (lock ${lockDir})`);
      told = true;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

if (!stale()) process.exit(0);
await acquire();
let code = 0;
try {
  if (stale()) {
    const r = spawnSync(npm, job.args, { cwd: clientDir, stdio: 'inherit', shell: process.platform === 'win32' });
    code = r.status ?? 1;
    if (code === 0 && existsSync(job.output)) {
      const now = new Date();
      utimesSync(job.output, now, now); // newer than every input, even when npm kept the old file
    }
  }
} finally {
  rmSync(lockDir, { recursive: true, force: true });
}
process.exit(code);
