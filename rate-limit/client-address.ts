import { isIPv6 } from 'node:net';

/**
 * What a per-address limit counts under. An IPv6 client usually owns a whole /64 (one home, one
 * server) and can pick any address in it, so the /64 is one address; an IPv4 address written as
 * IPv6 (`::ffff:203.0.113.5`, as a dual-stack socket reports it) is that IPv4 address.
 */
export function addressKey(ip: string): string {
  if (!isIPv6(ip)) return ip;
  const groups = ipv6Groups(ip);
  const isMappedIpv4 = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (isMappedIpv4) return groups.slice(6).flatMap((group) => [group >> 8, group & 0xff]).join('.');
  return `${groups.slice(0, 4).map((group) => group.toString(16)).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address, with `::` expanded and a trailing dotted IPv4 part split in two. */
function ipv6Groups(ip: string): number[] {
  const [head = '', tail] = (ip.split('%')[0] ?? '').split('::');
  const parse = (part: string | undefined) =>
    part ? part.split(':').flatMap((group) => (group.includes('.') ? dottedGroups(group) : [parseInt(group, 16)])) : [];
  const start = parse(head);
  const end = parse(tail);
  return [...start, ...Array<number>(8 - start.length - end.length).fill(0), ...end];
}

function dottedGroups(ipv4: string): number[] {
  const [a = 0, b = 0, c = 0, d = 0] = ipv4.split('.').map(Number);
  return [(a << 8) | b, (c << 8) | d];
}
