// Builds dist/: one ESM bundle (esbuild, minified, openapi-fetch left as a dependency) and the type
// declarations (tsc). Prints the bundle's size, minified and gzipped.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'src', 'index.ts')],
  outfile: join(dist, 'index.js'),
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  external: ['openapi-fetch'],
  legalComments: 'none',
});
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
// One entry for the declarations: dist/index.d.ts re-exports the per-module files.
writeFileSync(join(dist, 'index.d.ts'), "export * from './types/index.js';\n");
const js = readFileSync(join(dist, 'index.js'));
console.log(`dist/index.js: ${js.length} bytes minified, ${gzipSync(js).length} bytes gzipped`);
