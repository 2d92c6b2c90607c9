import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createService } from '../../src/app/catalog/create-service.js';
import type { SignInPolicy } from '../../src/app/challenges/challenge-policy.js';
import type { ServiceDraft } from '../../src/app/catalog/service-draft.js';
import type { PaymentSettings } from '../../src/app/payments/payment-settings.js';
import type { SecretBox } from '../../src/app/secrets/secret-box.js';
import type { Clock, Context, MailSettings } from '../../src/app/context.js';
import { addFunds } from '../../src/app/funds/add-funds.js';
import { createUser } from '../../src/app/users/create-user.js';
import { parseMoney } from '../../src/domain/money.js';
import { type HttpServerOptions, buildHttpServer } from '../../src/http/server.js';
import { Panel } from '../../src/panel.js';
import type { Database } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrations.js';
import { openDatabase, parseDatabaseUrl } from '../../src/store/open-database.js';
import { sharedSchemaController } from './shared-schema-compilers.js';
import { type TestDatabase, createMigratedTestDatabase } from './test-database.js';

/**
 * SMMKIT_TEST_WRITE_THREAD=1 (the `sqlite-write-thread` project): batches of plain `add`s are
 * written on the write thread, as in `smmkit serve`; it runs the compiled script (`npm test` builds
 * first). Otherwise they are written on the event loop.
 */
const WRITE_THREAD = {
  sqliteWriteThread: true,
  sqliteWriteThreadScript: new URL('../../dist/store/sqlite-write-thread.js', import.meta.url),
};

/** A clock tests move by hand. */
export class TestClock implements Clock {
  constructor(private ms = Date.UTC(2026, 10, 27, 12, 0, 0)) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
}

export type Transport = 'form' | 'multipart' | 'json' | 'get';

export interface ApiResponse {
  readonly status: number;
  readonly contentType: string | null;
  readonly text: string;
  /** The parsed body (every answer must be JSON: parsing throws otherwise). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests index answers of many shapes
  readonly json: any;
}

export interface TestUser {
  readonly id: number;
  readonly username: string;
  readonly apiKey: string;
}

/** Panels open in the current test file: the ledger check runs against each after every test. */
export const openPanels = new Set<TestPanel>();

let userCounter = 0;

export class TestPanel {
  private constructor(
    readonly database: TestDatabase,
    readonly db: Database,
    readonly panel: Panel,
    readonly clock: TestClock,
    private readonly http: FastifyInstance,
    readonly baseUrl: string,
  ) {}

  static async start(
    options: {
      clock?: TestClock;
      rateLimitPerMinute?: number;
      rateLimitFlushMs?: number;
      /** HTTP settings (metrics token, trusted proxies, timeouts…). */
      http?: HttpServerOptions;
      /** Seals provider keys at rest (SMMKIT_SECRET_KEY). */
      secrets?: SecretBox;
      /** Off unless a test asks: scripted tests sign up without solving challenges, from one address. */
      signIn?: SignInPolicy;
      allowPrivateUrls?: boolean;
      /** Email on (queued to the outbox) with these settings. */
      mail?: MailSettings;
      /** SMMKIT_CURRENCY (USD unless given). */
      currency?: string;
      /** Payment settings (SMMKIT_PUBLIC_URL among them). */
      payments?: PaymentSettings;
      /** SQLite: batches of plain `add`s written on the write thread (else as SMMKIT_TEST_WRITE_THREAD says). */
      writeThread?: boolean;
      /** SQLite: the write thread runs this script instead (tests of its failures). */
      writeThreadScript?: URL;
    } = {},
  ): Promise<TestPanel> {
    const database = await createMigratedTestDatabase();
    const db = openDatabase(
      parseDatabaseUrl(database.url),
      options.writeThreadScript
        ? { sqliteWriteThread: true, sqliteWriteThreadScript: options.writeThreadScript }
        : (options.writeThread ?? process.env.SMMKIT_TEST_WRITE_THREAD === '1')
          ? WRITE_THREAD
          : {},
    );
    const clock = options.clock ?? new TestClock();
    // A copy of a migrated database: this finds nothing to apply unless the template is behind.
    await migrate(db, clock.now());
    const panel = new Panel(db, {
      clock,
      ...(options.currency === undefined ? {} : { currency: options.currency }),
      rateLimitPerMinute: options.rateLimitPerMinute,
      rateLimitFlushMs: options.rateLimitFlushMs,
      ...(options.secrets ? { secrets: options.secrets } : {}),
      signIn: options.signIn ?? { challenge: false, signUpsPerHour: 0 },
      allowPrivateUrls: options.allowPrivateUrls,
      ...(options.mail === undefined ? {} : { mail: options.mail }),
      ...(options.payments === undefined ? {} : { payments: options.payments }),
    });
    const http = buildHttpServer(panel, { schemaController: sharedSchemaController, ...options.http });
    panel.start();
    await http.listen({ port: 0, host: '127.0.0.1' });
    const { port } = http.server.address() as AddressInfo;
    const testPanel = new TestPanel(database, db, panel, clock, http, `http://127.0.0.1:${port}`);
    openPanels.add(testPanel);
    return testPanel;
  }

  get apiUrl(): string {
    return `${this.baseUrl}/api/v2`;
  }

  get ctx(): Context {
    return { ...this.panel.ctx, actor: { kind: 'cli' } };
  }

  /** Sends API v2 parameters the way the chosen kind of client does. */
  async api(
    params: Record<string, string | number>,
    options: { transport?: Transport; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse> {
    const transport = options.transport ?? 'form';
    const fields = Object.entries(params).map(([k, v]) => [k, String(v)] as [string, string]);
    let response: Response;
    if (transport === 'get') {
      response = await fetch(`${this.apiUrl}?${new URLSearchParams(fields)}`, { headers: options.headers });
    } else if (transport === 'json') {
      response = await fetch(this.apiUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: JSON.stringify(params),
      });
    } else if (transport === 'multipart') {
      const form = new FormData();
      for (const [k, v] of fields) form.append(k, v);
      response = await fetch(this.apiUrl, { method: 'POST', headers: options.headers, body: form });
    } else {
      response = await fetch(this.apiUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
        body: new URLSearchParams(fields).toString(),
      });
    }
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      text,
      json: JSON.parse(text),
    };
  }

  async createUser(username = `user${++userCounter}_${process.pid}`): Promise<TestUser> {
    const result = await createUser(this.ctx, { username, role: 'customer' });
    if (!result.ok) throw new Error(`createUser: ${result.failure.code}`);
    return result.value;
  }

  async fund(user: TestUser, amount: string): Promise<void> {
    const parsed = parseMoney(amount);
    if (parsed === null) throw new Error(`bad amount ${amount}`);
    const result = await addFunds(this.ctx, { username: user.username, amount: parsed });
    if (!result.ok) throw new Error(`fund: ${result.failure.code}`);
  }

  /** A user with a balance, ready to order. */
  async customer(balance = '100'): Promise<TestUser> {
    const user = await this.createUser();
    if (balance !== '0') await this.fund(user, balance);
    return user;
  }

  async createService(draft: Partial<ServiceDraft> = {}): Promise<number> {
    const result = await createService(this.ctx, {
      name: 'Followers',
      type: 'Default',
      category: 'Instagram',
      rate: '0.90',
      min: 10,
      max: 10000,
      refill: false,
      refillDays: 30,
      cancel: false,
      dripfeed: false,
      allowDuplicateLinks: true,
      description: '',
      enabled: true,
      ...draft,
    });
    if (!result.ok) throw new Error(`createService: ${JSON.stringify(result.failure)}`);
    return result.value.id;
  }

  async close(): Promise<void> {
    openPanels.delete(this);
    await this.http.close();
    await this.panel.stop();
    await this.db.close();
    await this.database.drop();
  }
}
