import * as contract from '@smmkit/contract';
import { issueChallenge } from '../../app/challenges/issue-challenge.js';
import type { Panel } from '../../panel.js';
import type { WebApp } from './web-app.js';
import { PUBLIC_ROUTE } from './web-access.js';

/** The proof-of-work challenge a visitor solves in the browser before signing up (or logging in after failures). */
export function registerChallengeRoutes(web: WebApp, panel: Panel): void {
  web.route({
    ...contract.getChallenge,
    config: PUBLIC_ROUTE,
    handler: async () => issueChallenge(panel.ctx),
  });
}
