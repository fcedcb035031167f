import { MlopsError } from '../../core/index.js';
import type { Principal } from './principal.js';

/** What `authenticate` needs of a store; `SqlAuthStore` is one. */
export interface CredentialVerifier {
  verifyPassword(username: string, password: string): Promise<Principal | undefined>;
  verifyToken(token: string): Promise<Principal | undefined>;
}

/** The `WWW-Authenticate` value to send with a 401, so browsers and curl know to ask. */
export const WWW_AUTHENTICATE = 'Basic realm="mlops", charset="UTF-8"';

const HOW =
  'Send HTTP Basic credentials (MLflow clients: set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD) ' +
  'or a bearer token (set MLFLOW_TRACKING_TOKEN or MLOPS_TRACKING_TOKEN; an admin creates one with `mlops users token <username>`).';

/**
 * The principal named by an `Authorization` header: `Basic base64(user:password)` as MLflow
 * clients send it, or `Bearer <token>`. Anything else fails with UNAUTHENTICATED (401). The
 * messages never say whether a user exists, and never echo the header back.
 */
export async function authenticate(
  authorization: string | undefined,
  verifier: CredentialVerifier,
): Promise<Principal> {
  if (!authorization?.trim()) throw unauthenticated('Authentication required.');
  const match = /^\s*([A-Za-z]+) +(\S+)\s*$/.exec(authorization);
  const scheme = match?.[1]?.toLowerCase();
  const value = match?.[2] ?? '';
  let principal: Principal | undefined;
  if (scheme === 'basic') {
    const credentials = decodeBasic(value);
    if (!credentials) throw unauthenticated('Malformed Basic credentials.');
    principal = await verifier.verifyPassword(credentials.username, credentials.password);
  } else if (scheme === 'bearer') {
    principal = await verifier.verifyToken(value);
  } else {
    throw unauthenticated('Unsupported Authorization header: use the Basic or Bearer scheme.');
  }
  if (!principal) throw unauthenticated('Wrong username, password or token.');
  return principal;
}

/** RFC 7617: base64 of `user-id:password`; the user id cannot contain a colon, the password can. */
function decodeBasic(value: string): { username: string; password: string } | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function unauthenticated(what: string): MlopsError {
  return new MlopsError('UNAUTHENTICATED', `${what} ${HOW}`);
}
