import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layering ARCHITECTURE.md describes, checked on every run: `http`, `worker`, `cli` → `app` →
 * `domain` and `store`; nothing imports upward, `http` reaches data only through use cases, the
 * domain does no I/O, and no module imports itself through a loop.
 */
const SRC = dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every module a file imports (static, re-exported or dynamic), resolved to a path under src/, or the bare specifier. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map(({ fileName }) =>
    fileName.startsWith('.') ? resolve(dirname(file), fileName).replace(/\.js$/, '.ts') : fileName,
  );
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((file) => [file, importsOf(file)]));
const layerOf = (file: string) => relative(SRC, file).split('/')[0]!;

function importsFrom(layer: string): { from: string; to: string }[] {
  return files
    .filter((file) => layerOf(file) === layer)
    .flatMap((file) =>
      graph
        .get(file)!
        .map((to) => ({ from: relative(SRC, file), to: to.startsWith('/') ? relative(SRC, to) : to })),
    );
}

describe('architecture', () => {
  it('domain is pure: it imports only the domain and the wire vocabulary', () => {
    // The wire vocabularies the domain shares: API v2's (@smmkit/client) and the staff permission
    // names (@smmkit/contract/permissions), the service-update kinds and the languages; all pure data.
    const shared = [
      '@smmkit/client',
      '@smmkit/contract/permissions',
      '@smmkit/contract/service-update-kinds',
      '@smmkit/contract/languages',
    ];
    const outside = importsFrom('domain').filter(
      ({ to }) => !to.startsWith('domain/') && !shared.includes(to),
    );
    expect(outside).toEqual([]);
  });

  it('store imports only the store, the domain and the database drivers', () => {
    const allowed = (to: string) =>
      to.startsWith('store/') ||
      to.startsWith('domain/') ||
      ['better-sqlite3', 'pg'].includes(to) ||
      to.startsWith('node:');
    expect(importsFrom('store').filter(({ to }) => !allowed(to))).toEqual([]);
  });

  it('app never imports http, cli, worker or metrics', () => {
    const upward = importsFrom('app').filter(({ to }) => /^(http|cli|worker|metrics)\//.test(to));
    expect(upward).toEqual([]);
  });

  it('http reaches data only through use cases: it imports no store module', () => {
    expect(importsFrom('http').filter(({ to }) => to.startsWith('store/'))).toEqual([]);
  });

  it('no import loops', () => {
    const loops: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        loops.push([...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(' → '));
        return;
      }
      state.set(file, 'visiting');
      for (const next of graph.get(file) ?? []) if (graph.has(next)) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(loops).toEqual([]);
  });

  it('use cases decode no rows: no bigint flag checks and no status casts in app/', () => {
    const offending = files
      .filter((file) => layerOf(file) === 'app')
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, index) => ({ line, at: `${relative(SRC, file)}:${index + 1}` }))
          .filter(({ line }) => /[!=]== 1n\b/.test(line) || /[^.\w]as \w*Status\b(?!\s*[,}])/.test(line)),
      )
      .map(({ at }) => at);
    expect(offending).toEqual([]);
  });
});
