// Host and Origin checks for every listener (API/dashboard, collector): a DNS-rebinding page gets no answer.
import { isIPv6 } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { MiddlewareHandler } from 'hono';

/** The host names a browser may use for this machine whatever is configured (any port). */
export const loopbackNames: readonly string[] = ['127.0.0.1', 'localhost', '::1'];

export interface HostPolicyInput {
  /** The address the listener binds to: a specific address is also a name it answers to. */
  bindHost?: string;
  /** More names (api.allowedHosts, the public webhook URL's host), any port. */
  allowedHosts?: readonly string[];
}

export interface HostPolicy {
  /** The names answered (lower case, IPv6 without brackets). */
  readonly names: ReadonlySet<string>;
  /** True when a Host header (name, name:port, [v6], [v6]:port) names this listener. */
  allowsHost(host: string | undefined): boolean;
  /** True when an Origin header (scheme://host[:port]) is one of this listener's own names. */
  allowsOrigin(origin: string): boolean;
}

const wildcard = new Set(['0.0.0.0', '::', '']);

/** `Name.Example.:443` -> `name.example`; `[::1]:3000` -> `::1`; undefined when it is not a host at all. */
export function hostnameOf(host: string): string | undefined {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    if (end < 0 || !/^(:\d{1,5})?$/.test(h.slice(end + 1)) || !isIPv6(h.slice(1, end))) return undefined;
    return h.slice(1, end);
  }
  const m = /^([^:/\s@]+)(?::\d{1,5})?$/.exec(h);
  if (m) return m[1].replace(/\.$/, '');
  // A bare IPv6 address (as a bind address or config entry is written).
  return isIPv6(h) ? h : undefined;
}

/** The machine's own addresses: what a client uses to reach a listener bound to 0.0.0.0 or ::. */
function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) =>
    (list ?? []).map((i) => i.address.toLowerCase().replace(/%.*$/, '')),
  );
}

export function createHostPolicy(input: HostPolicyInput): HostPolicy {
  const names = new Set<string>(loopbackNames);
  const bind = input.bindHost === undefined ? undefined : hostnameOf(input.bindHost);
  if (bind !== undefined && !wildcard.has(bind)) names.add(bind);
  else if (input.bindHost !== undefined) for (const a of interfaceAddresses()) names.add(a);
  for (const h of input.allowedHosts ?? []) {
    const n = hostnameOf(h);
    if (n) names.add(n);
  }
  const allowsHost = (host: string | undefined) => {
    const n = host === undefined ? undefined : hostnameOf(host);
    return n !== undefined && names.has(n);
  };
  return {
    names,
    allowsHost,
    allowsOrigin(origin) {
      const m = /^https?:\/\/([^/]+)$/i.exec(origin.trim());
      return !!m && allowsHost(m[1]);
    },
  };
}

/** The host names of a listener from the configuration: api.allowedHosts and the public webhook URL's host. */
export function configuredHosts(config: {
  api: { allowedHosts: readonly string[] };
  notificationUrl?: string;
}): string[] {
  const out = [...config.api.allowedHosts];
  if (config.notificationUrl) out.push(new URL(config.notificationUrl).host);
  return out;
}

function refusal(status: 421 | 403, code: string, message: string, hint: string): Response {
  return new Response(JSON.stringify({ error: { code, message, hint } }), {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    },
  });
}

/** The request's Host: the header as sent, else the URL's (in-process requests carry no header). */
function hostOf(request: Request, header: string | undefined): string {
  return header ?? new URL(request.url).host;
}

/**
 * 421 for a request whose Host is not one of the listener's names. A page that rebinds its own DNS name to
 * 127.0.0.1 reaches the port, but its requests carry its name as Host, so they get nothing (not even the page).
 */
export function hostGuard(policy: HostPolicy): MiddlewareHandler {
  return async (c, next) => {
    if (!policy.allowsHost(hostOf(c.req.raw, c.req.header('host'))))
      return refusal(
        421,
        'misdirected',
        'this server does not answer for that host name',
        'use http://127.0.0.1:<port>/ or http://localhost:<port>/, or add the name you use to api.allowedHosts (CALLTROVE_ALLOWED_HOSTS, comma-separated)',
      );
    await next();
  };
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * 403 for a state-changing request sent by a page of another origin (the browser names it in Origin; `null`
 * from sandboxes and files counts as foreign). Requests without Origin come from non-browser clients.
 */
export function originGuard(policy: HostPolicy): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (!safeMethods.has(c.req.method) && origin !== undefined && !policy.allowsOrigin(origin))
      return refusal(
        403,
        'forbidden_origin',
        'requests that change something must come from this server’s own pages',
        'send the request without an Origin header (curl, scripts) or from the dashboard; add the dashboard’s host name to api.allowedHosts if it is served under another name',
      );
    await next();
  };
}
