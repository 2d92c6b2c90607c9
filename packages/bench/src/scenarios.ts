import { ADD_QUANTITY, ADD_SERVICE_ID } from './seed-sql.js';
import type { RequestBodies } from './request-bodies.js';

/**
 * What wrk sends: a fixed rotation of bodies, or `add`s built per request with distinct links.
 * `expect` is checked in every answer, except where `checkBodies` is false: handing each 270 kB
 * `services` answer to Lua costs wrk more CPU than the server spends sending it, so there only
 * the status codes (and the sample fetches) are checked.
 */
export type Load =
  | {
      readonly kind: 'bodies';
      readonly bodies: readonly string[];
      readonly expect: string;
      readonly checkBodies: boolean;
    }
  | {
      readonly kind: 'add';
      readonly keys: readonly string[];
      readonly serviceId: number;
      readonly quantity: number;
      readonly expect: string;
      readonly checkBodies: true;
    };

/** The bare node:http servers each scenario is compared with (see ceiling-server.ts). */
export type CeilingMode =
  'fixed-json' | 'pk-read' | 'many-read' | 'many-read-refills' | 'cached-buffer' | 'raw-add';

export const CEILING_LABELS: Readonly<Record<CeilingMode, string>> = {
  'fixed-json': 'fixed small JSON',
  'pk-read': 'primary-key read',
  'many-read': '100-id read',
  'many-read-refills': '100-refill-id read',
  'cached-buffer': 'cached 1,000-service buffer',
  'raw-add': 'raw add transaction',
};

/** A scenario's name as `--scenario` takes it: `status x100` is `status-x100`. */
export const scenarioSlug = (name: string): string => name.replace(/[\W_]+/g, '-');

export interface Scenario {
  readonly name: string;
  readonly ceiling: CeilingMode;
  readonly load: Load;
}

// A body shows the action worked by a key only a success carries: errors are {"error": …}.
const STATUS_OK = '"status"';
const SERVICES_OK = '"service"';
const BALANCE_OK = '"balance"';
const ADD_OK = '{"order":';
const REFILL_STATUS_OK = '[{"refill":';

const checked = (bodies: readonly string[], expect: string): Load => ({
  kind: 'bodies',
  bodies,
  expect,
  checkBodies: true,
});
const servicesLoad = (bodies: RequestBodies): Load => ({
  kind: 'bodies',
  bodies: bodies.services,
  expect: SERVICES_OK,
  checkBodies: false,
});

export function addLoad(bodies: RequestBodies): Load {
  return {
    kind: 'add',
    keys: bodies.addKeys,
    serviceId: ADD_SERVICE_ID,
    quantity: ADD_QUANTITY,
    expect: ADD_OK,
    checkBodies: true,
  };
}

/** In this order: reads first, so they measure the seeded database rather than one `add` grew. */
export function serverScenarios(bodies: RequestBodies): Scenario[] {
  return [
    { name: 'status', ceiling: 'pk-read', load: checked(bodies.statusSingle, STATUS_OK) },
    { name: 'status x100', ceiling: 'many-read', load: checked(bodies.statusMany, STATUS_OK) },
    {
      name: 'refill_status x100',
      ceiling: 'many-read-refills',
      load: checked(bodies.refillStatusMany, REFILL_STATUS_OK),
    },
    { name: 'services', ceiling: 'cached-buffer', load: servicesLoad(bodies) },
    { name: 'balance', ceiling: 'pk-read', load: checked(bodies.balance, BALANCE_OK) },
    { name: 'add', ceiling: 'raw-add', load: addLoad(bodies) },
  ];
}

/**
 * Each ceiling gets the same bodies as the scenarios compared with it, and answers in the same
 * shape, so the load generator does the same work on both sides of a ratio.
 */
export function ceilingLoads(bodies: RequestBodies): Record<CeilingMode, Load> {
  return {
    'fixed-json': checked(bodies.balance, BALANCE_OK),
    'pk-read': checked(bodies.statusSingle, STATUS_OK),
    'many-read': checked(bodies.statusMany, STATUS_OK),
    'many-read-refills': checked(bodies.refillStatusMany, REFILL_STATUS_OK),
    'cached-buffer': servicesLoad(bodies),
    'raw-add': addLoad(bodies),
  };
}
