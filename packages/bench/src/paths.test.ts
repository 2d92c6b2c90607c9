import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RESULTS_DIR, SMMKIT_BIN, profileDirFor } from './paths.js';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const serverPackage = fileURLToPath(new URL('../../server/', import.meta.url));

describe('bench paths', () => {
  it('writes results to bench-results/ at the repository root', () => {
    expect(RESULTS_DIR).toBe(`${repositoryRoot}bench-results/`);
  });

  it("starts servers with the server package's own smmkit bin", () => {
    const { bin } = JSON.parse(readFileSync(`${serverPackage}package.json`, 'utf8')) as {
      bin: { smmkit: string };
    };
    expect(SMMKIT_BIN).toBe(fileURLToPath(new URL(bin.smmkit, `file://${serverPackage}`)));
    expect(existsSync(SMMKIT_BIN)).toBe(true);
  });

  it('puts CPU profiles in bench-results/, named by the start time (file-safe) and the label, only when asked', () => {
    expect(profileDirFor(true, '2026-12-03T03:02:24.335Z', 'scale-profile')).toBe(
      `${repositoryRoot}bench-results/2026-12-03T03-02-24-335Z-scale-profile`,
    );
    expect(profileDirFor(false, '2026-12-03T03:02:24.335Z', 'scale-profile')).toBeNull();
  });
});
