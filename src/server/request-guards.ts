import type { FastifyInstance } from 'fastify';
import { MlopsError } from '../core/index.js';

export interface GuardOptions {
  /** Bound to a loopback address: only loopback Host names are answered (DNS rebinding). */
  readonly loopback: boolean;
  /** Extra Host names (without port) to accept, e.g. a reverse proxy's name. */
  readonly allowedHosts: readonly string[];
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * Checks before any route runs, and headers on every answer:
 * - Host: when bound to loopback, a page on another site that rebinds its DNS name to 127.0.0.1
 *   still sends its own name as Host, so anything but a loopback name (or an allowed one) is 403.
 * - Cross-site writes: a browser adds Origin to cross-site requests; a state-changing request
 *   whose Origin is not this server's is refused (JSON bodies already force a CORS preflight,
 *   which this server never approves; this also covers uploads, whose bodies are raw).
 * - nosniff, no framing, and a CSP that forbids scripts, so nothing served can run as a page.
 */
export function installRequestGuards(app: FastifyInstance, options: GuardOptions): void {
  const allowed = new Set([...options.allowedHosts].map((h) => h.toLowerCase()));
  app.addHook('onRequest', async (request, reply) => {
    void reply
      .header('x-content-type-options', 'nosniff')
      .header('x-frame-options', 'DENY')
      .header('content-security-policy', "default-src 'none'; frame-ancestors 'none'")
      .header('referrer-policy', 'no-referrer');
    const host = hostName(request.headers.host ?? '');
    if (options.loopback && !LOOPBACK_HOSTS.has(host) && !allowed.has(host)) {
      throw new MlopsError(
        'PERMISSION_DENIED',
        `Host '${host}' is not allowed: the server is bound to loopback and answers only localhost names. Start it with --allowed-hosts ${host || '<name>'} if a proxy sends this name.`,
      );
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const origin = request.headers.origin;
      if (origin !== undefined && origin !== 'null') {
        const originHost = safeHost(origin);
        if (originHost !== hostWithPort(request.headers.host ?? '')) {
          throw new MlopsError(
            'PERMISSION_DENIED',
            `Cross-site request from ${origin} refused: this API changes state only for same-origin pages and non-browser clients.`,
          );
        }
      } else if (origin === 'null') {
        throw new MlopsError(
          'PERMISSION_DENIED',
          'Requests from an opaque (null) origin are refused.',
        );
      }
    }
  });
}

function hostWithPort(host: string): string {
  return host.toLowerCase();
}

function hostName(host: string): string {
  const h = host.toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}

function safeHost(origin: string): string | undefined {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return undefined;
  }
}
