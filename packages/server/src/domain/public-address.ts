/**
 * Whether an IP address is on the public internet, for every URL a customer gives the panel to call
 * (webhooks): a request to a loopback, private, link-local (the cloud metadata service at
 * 169.254.169.254), CGNAT, multicast, reserved or unspecified address would let a customer reach
 * what only the panel's own network should. Parsed by hand, so the rule has no platform in it.
 */

/** Why an address is refused, or `public`. */
export type AddressRange =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'shared'
  | 'multicast'
  | 'reserved'
  | 'invalid';

/** The four bytes of a dotted IPv4 address (decimal, four parts), or null. */
export function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || (part.length > 1 && part.startsWith('0'))) return null;
    const value = Number(part);
    if (value > 255) return null;
    bytes.push(value);
  }
  return bytes;
}

/** The sixteen bytes of an IPv6 address (with `::` and an IPv4 tail; no zone), or null. */
export function parseIpv6(text: string): number[] | null {
  if (text.includes('%')) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (part: string): number[] | null => {
    if (part === '') return [];
    const groups: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (!v4) return null;
        groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return null;
        groups.push(parseInt(piece, 16));
      }
    }
    return groups;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return null;
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return null;
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return null;
  return groups.flatMap((group) => [group >> 8, group & 0xff]);
}

function ipv4Range(b: readonly number[]): AddressRange {
  const [a, second] = [b[0]!, b[1]!];
  if (a === 0) return 'unspecified';
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && second >= 16 && second <= 31) || (a === 192 && second === 168))
    return 'private';
  if (a === 169 && second === 254) return 'link-local';
  if (a === 100 && second >= 64 && second <= 127) return 'shared';
  if (a >= 224 && a <= 239) return 'multicast';
  // 240/4 (reserved, with the broadcast address), 192.0.0/24 (protocol assignments), the three
  // documentation networks and 198.18/15 (benchmarking): none is anyone's public server.
  if (a >= 240) return 'reserved';
  if (a === 192 && second === 0 && (b[2] === 0 || b[2] === 2)) return 'reserved';
  if (a === 198 && (second === 18 || second === 19)) return 'reserved';
  if (a === 198 && second === 51 && b[2] === 100) return 'reserved';
  if (a === 203 && second === 0 && b[2] === 113) return 'reserved';
  return 'public';
}

function ipv6Range(b: readonly number[]): AddressRange {
  const allZeroUpTo = (n: number) => b.slice(0, n).every((byte) => byte === 0);
  if (allZeroUpTo(16)) return 'unspecified';
  if (allZeroUpTo(15) && b[15] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d) and the deprecated IPv4-compatible (::a.b.c.d): the IPv4 rule.
  if (allZeroUpTo(10) && b[10] === 0xff && b[11] === 0xff) return ipv4Range(b.slice(12));
  if (allZeroUpTo(12)) return ipv4Range(b.slice(12));
  // NAT64 (64:ff9b::/96) carries an IPv4 address too.
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b.slice(4, 12).every((x) => x === 0)) {
    return ipv4Range(b.slice(12));
  }
  const first = b[0]!;
  if ((first & 0xfe) === 0xfc) return 'private';
  if (first === 0xfe && (b[1]! & 0xc0) === 0x80) return 'link-local';
  if (first === 0xfe && (b[1]! & 0xc0) === 0xc0) return 'private'; // site-local, deprecated
  if (first === 0xff) return 'multicast';
  if (first === 0x20 && b[1] === 0x01 && b[2] === 0x0d && b[3] === 0xb8) return 'reserved'; // documentation
  // Only 2000::/3 is global unicast today.
  if ((first & 0xe0) !== 0x20) return 'reserved';
  return 'public';
}

/** The range an address (IPv4 or IPv6 text, brackets allowed) falls in. */
export function addressRange(text: string): AddressRange {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const v4 = parseIpv4(bare);
  if (v4) return ipv4Range(v4);
  const v6 = parseIpv6(bare);
  if (v6) return ipv6Range(v6);
  return 'invalid';
}

export function isPublicAddress(text: string): boolean {
  return addressRange(text) === 'public';
}
