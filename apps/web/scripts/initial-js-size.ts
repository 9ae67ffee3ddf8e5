import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** One file the browser must fetch before the first page can run. */
export interface InitialAsset {
  readonly path: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

/** The JavaScript a first visit downloads before anything is lazy-loaded. */
export interface InitialJsSize {
  readonly assets: readonly InitialAsset[];
  readonly gzipBytes: number;
}

/**
 * Measures the initial JavaScript of a Vite build: the entry module scripts and the modules
 * index.html preloads (`modulepreload`), each gzipped at zlib's default level as a server would.
 * Lazy chunks (the shell after login, later charts and the designer) are not counted. Issue 9's
 * budget for this number is 400 KB.
 */
export async function measureInitialJs(distDir: string): Promise<InitialJsSize> {
  const html = await readFile(join(distDir, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)];
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)];
  const paths = [...new Set([...scripts, ...preloads].map((match) => match[1] ?? ''))];
  const assets = await Promise.all(
    paths
      .filter((path) => path !== '')
      .map(async (path) => {
        const content = await readFile(join(distDir, path.replace(/^\//, '')));
        return { path, bytes: content.length, gzipBytes: gzipSync(content).length };
      }),
  );
  return { assets, gzipBytes: assets.reduce((sum, asset) => sum + asset.gzipBytes, 0) };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

// Run directly: `node --import tsx scripts/initial-js-size.ts [distDir]` prints the sizes.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const distDir = process.argv[2] ?? fileURLToPath(new URL('../dist', import.meta.url));
  const size = await measureInitialJs(distDir);
  for (const asset of size.assets) {
    console.log(`${asset.path}  ${kb(asset.bytes)}  gzip ${kb(asset.gzipBytes)}`);
  }
  console.log(`initial JS gzip: ${kb(size.gzipBytes)} (budget 400 KB)`);
}
