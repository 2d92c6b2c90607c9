import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message as the SMTP server received it, with its bodies decoded enough to read links. */
export interface ReceivedEmail {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: string;
  /** The raw message with quoted-printable soft breaks and escapes undone. */
  readonly decoded: string;
}

function decodeQuotedPrintable(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * A real SMTP server (the `smtp-server` package) on an ephemeral port of 127.0.0.1, with AUTH
 * PLAIN/LOGIN as a relay asks for it: every message it accepts is kept in `received`. `stop()` and
 * `start()` again on the same port play an outage.
 */
export class SmtpTestServer {
  readonly received: ReceivedEmail[] = [];
  private server: SMTPServer | null = null;
  port = 0;

  constructor(
    readonly user = 'relay-user',
    readonly pass = 'relay-secret',
  ) {}

  get url(): string {
    return `smtp://${this.user}:${this.pass}@127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.username === this.user && auth.password === this.pass)
          callback(null, { user: auth.username });
        else callback(new Error('Invalid username or password'));
      },
      // A mailbox that does not exist: refused for good, as real servers do.
      onRcptTo: (address, _session, callback) => {
        if (address.address.startsWith('nobody@')) {
          callback(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }));
        } else callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          this.received.push({
            from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw,
            decoded: decodeQuotedPrintable(raw),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Messages sent to an address. */
  to(address: string): ReceivedEmail[] {
    return this.received.filter((email) => email.to.includes(address));
  }

  /** The first `<public url>/<path>?token=…` link in a message. */
  static link(email: ReceivedEmail, path: string): string {
    const match = new RegExp(`https?://[^\\s"<>]+/${path}\\?token=[A-Za-z0-9_-]+`).exec(email.decoded);
    if (match === null) throw new Error(`no ${path} link in the message`);
    return match[0];
  }
}
