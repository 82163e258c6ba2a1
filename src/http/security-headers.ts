import type {Server, ServerResponse} from 'node:http';
import type {HttpConfig} from '../config/http-config';

/**
 * Set before either lane answers, so LoopBack's sequence, the fast lane, errors and 404s
 * carry them alike. No response of this API may be cached: join tokens and download URLs
 * are credentials, and everything else is per caller.
 */
export function setSecurityHeaders(response: ServerResponse): void {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Cache-Control', 'no-store');
}

/**
 * Bounds what one client can hold: Node's defaults let a slow-header client keep a socket
 * for over a minute, and accept connections without limit. Node enforces the header and
 * request timeouts on a periodic sweep (30 s by default), so the sweep runs often enough for
 * the timeouts to mean what they say; set before `listen`, which starts it.
 */
export function applyConnectionLimits(server: Server, limits: HttpConfig): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  (server as Server & {connectionsCheckingInterval: number}).connectionsCheckingInterval = Math.max(
    50,
    Math.min(1000, Math.floor(limits.headersTimeoutMs / 4)),
  );
}
