/**
 * The sign-in proof of work, solved here in the browser with altcha-lib's solver and the Web Crypto
 * API (no third-party service, no worker, no WebAssembly): a fresh challenge from the panel, the
 * counter found, the payload the server checks once.
 */
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/web/sha';
import { api } from './api.js';

export async function solvePanelChallenge(): Promise<string> {
  const challenge = await api.get('/challenge');
  const solution = await solveChallenge({ challenge, deriveKey, timeout: 60_000 });
  if (solution === null) throw new Error('The challenge took too long: try again');
  return btoa(JSON.stringify({ challenge, solution }));
}
