/**
 * DNS-rebinding guard. A page on attacker.example can make its own name resolve to 127.0.0.1 and then read
 * this server's API and WebSocket as same-origin; the one thing it cannot change is the Host header, which
 * still names attacker.example. So requests (HTTP and WebSocket upgrades) are answered only when Host
 * names an allowed host. Ports are not compared: the name is what rebinding forges.
 */
import type { IncomingMessage } from 'node:http';

/** `any` turns the check off; otherwise the lower-case host names (no port, IPv6 without brackets). */
export type AllowedHosts = 'any' | readonly string[];

/** Names a loopback-only server is reached by from its own machine. */
export const LOOPBACK_HOST_NAMES: readonly string[] = ['localhost', '127.0.0.1', '::1'];

/** True for listen addresses only this machine can reach (127.0.0.0/8, ::1, localhost). */
export function isLoopbackAddress(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/**
 * The hosts a server accepts. Configured names always come with the loopback names, which are safe to
 * allow: a rebinding page's requests carry the page's own name, never "localhost". Unconfigured, a server
 * listening on loopback accepts only the loopback names (nothing else can legitimately reach it); one
 * listening on the network accepts any, since its public name is unknown (the README asks operators to set
 * ALLOWED_HOSTS then).
 */
export function resolveAllowedHosts(listenHost: string, configured?: AllowedHosts): AllowedHosts {
  if (configured === 'any') return 'any';
  if (configured !== undefined) return [...new Set([...configured, ...LOOPBACK_HOST_NAMES])];
  return isLoopbackAddress(listenHost) ? LOOPBACK_HOST_NAMES : 'any';
}

/** The host name of a Host header value without the port (`[::1]:3000` → `::1`); null when malformed. */
export function hostName(header: string): string | null {
  const value = header.trim().toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/.exec(value);
  if (bracketed?.[1]) return bracketed[1];
  const plain = /^([a-z0-9._-]+)(?::\d{1,5})?$/.exec(value);
  return plain?.[1]?.replace(/\.$/, '') ?? null;
}

/** One ALLOWED_HOSTS entry as compared with hostName(): a DNS name, IPv4 or IPv6 literal; null otherwise. */
export function allowedHostEntry(entry: string): string | null {
  const e = entry
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (/^[0-9a-f:.]+$/.test(e) && e.split(':').length > 2) return e;
  return /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/.test(e) ? e : null;
}

export function hostAllowed(req: IncomingMessage, allowed: AllowedHosts): boolean {
  if (allowed === 'any') return true;
  const header = req.headers.host;
  if (!header) return false;
  const name = hostName(header);
  return name !== null && allowed.includes(name);
}
