import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * What the fault provider does with one call: whether it acts on it (an `add` creates the order,
 * a `cancel` or `refill` is accepted) and how it answers.
 * - `ok`: the normal JSON answer;
 * - `hang`: never answers (the client's timeout fires; the socket is closed when the server stops);
 * - `reset`: destroys the connection without a byte of answer;
 * - `non-json`: HTTP 200 with a PHP warning instead of JSON;
 * - `{ status }`: that HTTP status with a short body (a JSON error when `json` is set);
 * - `{ error }`: HTTP 200 `{"error": ...}`, an API-level refusal (nothing is created).
 */
export type FaultAnswer =
  | 'ok'
  | 'hang'
  | 'reset'
  | 'non-json'
  | { readonly status: number; readonly json?: boolean }
  | { readonly error: string }
  /** HTTP 200 `{"order": <this id>}` whatever was asked: a provider that answers someone else's order. */
  | { readonly order: number };

export interface Fault {
  /** Act on the call before answering (create the order...). Default true, false for `{ error }`. */
  readonly act?: boolean;
  readonly answer: FaultAnswer;
}

export const FAULTS = {
  hangAfterCreate: { act: true, answer: 'hang' },
  resetBeforeCreate: { act: false, answer: 'reset' },
  resetAfterCreate: { act: true, answer: 'reset' },
  nonJsonAfterCreate: { act: true, answer: 'non-json' },
  status500Before: { act: false, answer: { status: 500 } },
  status502After: { act: true, answer: { status: 502 } },
  status503After: { act: true, answer: { status: 503 } },
  status404: { act: false, answer: { status: 404 } },
  outOfFunds: { act: false, answer: { error: 'Not enough funds on balance' } },
  refused: { act: false, answer: { error: 'Incorrect request' } },
} as const satisfies Record<string, Fault>;

/** The provider's own order, and what its `status` answers (any fields, as odd as a test needs). */
export interface ProviderOrder {
  readonly id: number;
  readonly service: string;
  readonly link: string;
  readonly quantity: number;
  readonly requestId: string | null;
  status: Record<string, unknown>;
  canceledAsked: number;
  refillsAsked: number;
}

export interface ProviderRefill {
  readonly id: number;
  readonly order: number;
  status: string;
}

type Action = 'add' | 'status' | 'cancel' | 'refill' | 'refill_status' | 'balance' | 'services';

/**
 * A small upstream panel speaking API v2 over real HTTP on 127.0.0.1, holding its orders in
 * memory, counting every `add` it accepted, replaying a repeated `request_id` when told to, and
 * misbehaving per call from a script. Test support only: nothing in src depends on it.
 */
export class FaultProvider {
  readonly orders = new Map<number, ProviderOrder>();
  readonly refills = new Map<number, ProviderRefill>();
  /** Every `add` that reached the server, with its request_id, in arrival order. */
  readonly addCalls: (string | null)[] = [];
  /** How many ids each `status` / `cancel` / `refill` / `refill_status` request carried. */
  readonly idsPerRequest: Record<'status' | 'cancel' | 'refill' | 'refill_status', number[]> = {
    status: [],
    cancel: [],
    refill: [],
    refill_status: [],
  };
  /** Per-order refusals of `cancel` / `refill` (the multi-id answer's item error). */
  readonly refuseCancel = new Map<number, string>();
  readonly refuseRefill = new Map<number, string>();
  private readonly script = new Map<Action, Fault[]>();
  private readonly addScript = new Map<string, Fault>();
  private readonly sockets = new Set<Socket>();
  private nextOrder = 5001;
  private nextRefill = 701;
  balance = '1000.00000';

  private constructor(
    private readonly server: Server,
    readonly apiKey: string,
    /** Whether a repeated request_id answers the first order instead of creating another. */
    public honoursRequestId: boolean,
  ) {}

  static async start(options: { honoursRequestId?: boolean; apiKey?: string } = {}): Promise<FaultProvider> {
    const server = createServer();
    const provider = new FaultProvider(
      server,
      options.apiKey ?? 'fault-key',
      options.honoursRequestId ?? false,
    );
    server.on('connection', (socket) => {
      provider.sockets.add(socket);
      socket.on('close', () => provider.sockets.delete(socket));
    });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      provider.handle(request, response).catch(() => response.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return provider;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/v2`;
  }

  /** The next calls of `action` meet these faults, one each, in order; later calls are normal. */
  inject(action: Action, ...faults: Fault[]): void {
    this.script.set(action, [...(this.script.get(action) ?? []), ...faults]);
  }

  /** The next `add` carrying this request_id meets this fault (whatever order the adds arrive in). */
  injectForRequest(requestId: string, fault: Fault): void {
    this.addScript.set(requestId, fault);
  }

  /** Orders created for one request_id: more than one means an order was placed twice. */
  createdFor(requestId: string): number {
    return [...this.orders.values()].filter((order) => order.requestId === requestId).length;
  }

  /** Orders created for our order id (the request_id ends with it), whatever the panel instance. */
  createdForOrder(orderId: number): ProviderOrder[] {
    return [...this.orders.values()].filter((order) => order.requestId?.endsWith(`-${orderId}`));
  }

  /** Sets what `status` answers for a provider order, keeping the fields not given. */
  setStatus(id: number, fields: Record<string, unknown>): void {
    const order = this.orders.get(id);
    if (!order) throw new Error(`fault provider has no order ${id}`);
    order.status = { ...order.status, ...fields };
  }

  /** Sets what `status` answers, replacing every field (to leave some out). */
  replaceStatus(id: number, fields: Record<string, unknown>): void {
    const order = this.orders.get(id);
    if (!order) throw new Error(`fault provider has no order ${id}`);
    order.status = fields;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const params = new URLSearchParams(Buffer.concat(chunks).toString());
    if (params.get('key') !== this.apiKey) return this.json(response, { error: 'Invalid API key' });
    const action = params.get('action') as Action;
    const requestId = action === 'add' ? params.get('request_id') : null;
    const forRequest = requestId === null ? undefined : this.addScript.get(requestId);
    if (forRequest) this.addScript.delete(requestId!);
    const fault = forRequest ?? this.script.get(action)?.shift() ?? { answer: 'ok' };
    const answer = fault.answer;
    const act = fault.act ?? !(typeof answer === 'object' && ('error' in answer || 'order' in answer));
    let body: unknown;
    switch (action) {
      case 'add':
        this.addCalls.push(params.get('request_id'));
        body = act ? { order: this.add(params) } : undefined;
        break;
      case 'status':
        body = this.status(params);
        break;
      case 'cancel':
        body = this.forEachId('cancel', params, (order) => {
          const refusal = this.refuseCancel.get(order.id);
          if (refusal !== undefined) return { order: order.id, cancel: { error: refusal } };
          if (act) order.canceledAsked++;
          return { order: order.id, cancel: 1 };
        });
        break;
      case 'refill':
        body = this.forEachId('refill', params, (order) => {
          const refusal = this.refuseRefill.get(order.id);
          if (refusal !== undefined) return { order: order.id, refill: { error: refusal } };
          const refill: ProviderRefill = { id: this.nextRefill++, order: order.id, status: 'Pending' };
          if (act) {
            order.refillsAsked++;
            this.refills.set(refill.id, refill);
          }
          return { order: order.id, refill: refill.id };
        });
        break;
      case 'refill_status': {
        const ids = this.ids('refill_status', params.get('refills'));
        body = ids.map((id) => {
          const refill = this.refills.get(id);
          return { refill: id, status: refill ? refill.status : { error: 'Refill not found' } };
        });
        break;
      }
      case 'balance':
        body = { balance: this.balance, currency: 'USD' };
        break;
      case 'services':
        body = [
          {
            service: 1,
            name: 'Followers',
            type: 'Default',
            category: 'Instagram',
            rate: '0.50',
            min: '10',
            max: '100000',
            refill: true,
            cancel: true,
            dripfeed: true,
          },
        ];
        break;
      default:
        body = { error: 'Incorrect request' };
    }
    this.answer(request, response, answer, body);
  }

  private answer(
    request: IncomingMessage,
    response: ServerResponse,
    answer: FaultAnswer,
    body: unknown,
  ): void {
    if (answer === 'hang') return;
    if (answer === 'reset') {
      request.socket.destroy();
      return;
    }
    if (answer === 'non-json') {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<b>Warning</b>: mysqli_connect(): Too many connections in <b>/var/www/api.php</b>');
      return;
    }
    if (answer === 'ok') return this.json(response, body);
    if ('error' in answer) return this.json(response, { error: answer.error });
    if ('order' in answer) return this.json(response, { order: answer.order });
    response.writeHead(answer.status, { 'content-type': answer.json ? 'application/json' : 'text/html' });
    response.end(answer.json ? JSON.stringify({ error: 'Server error' }) : `<h1>${answer.status}</h1>`);
  }

  private json(response: ServerResponse, body: unknown): void {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(body));
  }

  private add(params: URLSearchParams): number {
    const requestId = params.get('request_id');
    if (this.honoursRequestId && requestId !== null) {
      const first = [...this.orders.values()].find((order) => order.requestId === requestId);
      if (first) return first.id;
    }
    const quantity = Number(params.get('quantity') ?? '1');
    const id = this.nextOrder++;
    this.orders.set(id, {
      id,
      service: params.get('service') ?? '',
      link: params.get('link') ?? '',
      quantity,
      requestId,
      status: {
        charge: '0.50000',
        start_count: '0',
        status: 'Pending',
        remains: String(quantity),
        currency: 'USD',
      },
      canceledAsked: 0,
      refillsAsked: 0,
    });
    return id;
  }

  private ids(kind: keyof FaultProvider['idsPerRequest'], list: string | null): number[] {
    const ids = [...new Set((list ?? '').split(',').map((id) => Number(id.trim())))];
    this.idsPerRequest[kind].push(ids.length);
    return ids;
  }

  private status(params: URLSearchParams): unknown {
    const single = params.get('order');
    if (params.get('orders') === null && single !== null) {
      const order = this.orders.get(Number(single));
      return order ? order.status : { error: 'Incorrect order ID' };
    }
    const ids = this.ids('status', params.get('orders'));
    if (ids.length > 100) return { error: 'Too many IDs, maximum is 100' };
    return Object.fromEntries(
      ids.map((id) => [String(id), this.orders.get(id)?.status ?? { error: 'Incorrect order ID' }]),
    );
  }

  private forEachId(
    kind: 'cancel' | 'refill',
    params: URLSearchParams,
    each: (order: ProviderOrder) => unknown,
  ): unknown {
    const ids = this.ids(kind, params.get('orders') ?? params.get('order'));
    if (ids.length > 100) return { error: 'Too many IDs, maximum is 100' };
    return ids.map((id) => {
      const order = this.orders.get(id);
      return order ? each(order) : { order: id, [kind]: { error: 'Incorrect order ID' } };
    });
  }
}
