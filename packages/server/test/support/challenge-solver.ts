import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import type { WebClient } from './web-client.js';

/**
 * Fetches a challenge from the panel and solves it by real work, with altcha-lib's own solver,
 * as the browser does: the payload to send as `challenge`.
 */
export async function solvedChallenge(web: WebClient): Promise<string> {
  const answer = await web.get('/challenge');
  if (answer.status !== 200) throw new Error(`challenge: ${answer.status}`);
  const challenge = answer.json;
  const solution = await solveChallenge({ challenge, deriveKey });
  if (solution === null) throw new Error('challenge not solved');
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}
