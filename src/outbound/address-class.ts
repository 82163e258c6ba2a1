import {isIPv4, isIPv6} from 'node:net';

/** What an IP address reaches; everything but `public` stays inside the host, its network or its provider. */
export type AddressClass = 'public' | 'unspecified' | 'loopback' | 'private' | 'link-local' | 'unique-local' | 'multicast' | 'reserved';

type Range = readonly [base: number, prefixLength: number, kind: AddressClass];

const V4_RANGES: readonly Range[] = [
  // 0.0.0.0 reaches the local host on Linux.
  [v4('0.0.0.0'), 8, 'unspecified'],
  [v4('127.0.0.0'), 8, 'loopback'],
  [v4('10.0.0.0'), 8, 'private'],
  [v4('172.16.0.0'), 12, 'private'],
  [v4('192.168.0.0'), 16, 'private'],
  // Carrier-grade NAT space: some clouds use it for internal services.
  [v4('100.64.0.0'), 10, 'private'],
  // Includes the cloud metadata service at 169.254.169.254.
  [v4('169.254.0.0'), 16, 'link-local'],
  [v4('192.0.0.0'), 24, 'reserved'],
  [v4('198.18.0.0'), 15, 'reserved'],
  [v4('224.0.0.0'), 4, 'multicast'],
  [v4('240.0.0.0'), 4, 'reserved'],
];

/** Classifies an IPv4 or IPv6 address (with or without brackets or a zone); anything unparsable is `reserved`. */
export function classifyAddress(address: string): AddressClass {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIPv4(bare)) return classifyV4(v4(bare));
  if (isIPv6(bare)) return classifyV6(v6Groups(bare));
  return 'reserved';
}

function classifyV4(value: number): AddressClass {
  for (const [base, prefixLength, kind] of V4_RANGES) {
    const mask = prefixLength === 0 ? 0 : (~0 << (32 - prefixLength)) >>> 0;
    if ((value & mask) >>> 0 === base) return kind;
  }
  return 'public';
}

function classifyV6(g: number[]): AddressClass {
  const zeroUpTo = (n: number) => g.slice(0, n).every(x => x === 0);
  const embeddedV4 = ((g[6] << 16) >>> 0) + g[7];
  if (zeroUpTo(8)) return 'unspecified';
  if (zeroUpTo(7) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d): the IPv4 address is what is reached.
  if (zeroUpTo(5) && (g[5] === 0xffff || g[5] === 0)) return classifyV4(embeddedV4);
  // NAT64 (64:ff9b::/96): a translator forwards to the embedded IPv4 address.
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every(x => x === 0)) return classifyV4(embeddedV4);
  // 6to4 (2002::/16) carries an IPv4 address in its second and third groups.
  if (g[0] === 0x2002) return classifyV4(((g[1] << 16) >>> 0) + g[2]);
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local';
  // Deprecated site-local space, still routed inside some networks.
  if ((g[0] & 0xffc0) === 0xfec0) return 'private';
  if ((g[0] & 0xfe00) === 0xfc00) return 'unique-local';
  if ((g[0] & 0xff00) === 0xff00) return 'multicast';
  return 'public';
}

function v4(address: string): number {
  return address.split('.').reduce((acc, octet) => ((acc << 8) >>> 0) + Number(octet), 0);
}

/** Eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail converted). */
function v6Groups(address: string): number[] {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const value = v4(dotted[1]);
    text = `${text.slice(0, dotted.index)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map(x => parseInt(x, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  return tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}
