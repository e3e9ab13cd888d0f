/**
 * Where the examples find the shared data files, from source (`examples/lib/`) and from the
 * bundled build (`.tmp/examples/`) alike: walk up from this module to the repository root.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MARKER = join('examples', 'shared', 'model', 'model.json');

/** The repository root: the nearest ancestor of this module that holds `examples/shared`. */
export function repoRoot(start: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, MARKER))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find ${MARKER} above ${start}`);
    dir = parent;
  }
}

/** The default `DATA_DIR`: the SYNTHETIC market data of `examples/shared`. */
export function defaultDataDir(): string {
  return join(repoRoot(), 'examples', 'shared', 'market-data');
}

/** The default `MODEL_PATH`: the `alpha158_linear` model of `examples/shared`. */
export function defaultModelPath(): string {
  return join(repoRoot(), MARKER);
}
