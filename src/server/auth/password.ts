import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { invalidParam } from '../../core/index.js';

/**
 * Password hashing with Node's built-in scrypt: memory-hard like the native libraries, but no
 * native dependency to build. Stored as `scrypt$N$r$p$<salt b64>$<hash b64>` so that raising the
 * cost later leaves existing hashes verifiable.
 */
const COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Short passwords are what CVE-2025-11200 was about; 8 is NIST SP 800-63B's floor. */
export const MIN_PASSWORD_LENGTH = 8;
/** A stored hash asking for more memory (128·N·r) is corrupt or hostile, not a cost we chose. */
const MAX_MEMORY = 256 << 20;

/** Rejects a password too weak to set: empty or under MIN_PASSWORD_LENGTH characters. */
export function checkNewPassword(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw invalidParam(
      `Password is too short: use at least ${MIN_PASSWORD_LENGTH} characters (a passphrase is best).`,
    );
  }
}

/** Hashes `password` with a fresh random salt; rejects passwords under MIN_PASSWORD_LENGTH. */
export async function hashPassword(password: string): Promise<string> {
  checkNewPassword(password);
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, COST);
  const { N, r, p } = COST;
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** True when `password` matches `stored`; false for a wrong password or an unreadable hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStored(stored);
  if (!parsed) return false;
  // Parameters OpenSSL still refuses make the hash unusable, which is a no, not a crash.
  const hash = await derive(password, parsed.salt, parsed.cost, parsed.hash.length).catch(
    () => undefined,
  );
  return hash !== undefined && timingSafeEqual(hash, parsed.hash);
}

interface Cost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

function parseStored(stored: string): { cost: Cost; salt: Buffer; hash: Buffer } | undefined {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || rest.length > 0 || !salt || !hash) return undefined;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  const valid =
    Number.isSafeInteger(cost.N) &&
    cost.N > 1 &&
    (cost.N & (cost.N - 1)) === 0 &&
    [cost.r, cost.p].every((x) => Number.isSafeInteger(x) && x >= 1 && x <= 16) &&
    128 * cost.N * cost.r <= MAX_MEMORY;
  const hashBytes = Buffer.from(hash, 'base64');
  if (!valid || hashBytes.length < 16) return undefined;
  return { cost, salt: Buffer.from(salt, 'base64'), hash: hashBytes };
}

function derive(password: string, salt: Buffer, cost: Cost, keyBytes = KEY_BYTES): Promise<Buffer> {
  // scrypt needs 128·N·r bytes plus some; Node's default 32 MiB cap is exactly 128·N·r at
  // N=2^15, r=8, and the check is strict, so allow twice as much.
  const options: ScryptOptions = { ...cost, maxmem: Math.max(256 * cost.N * cost.r, 32 << 20) };
  return new Promise((resolve, reject) => {
    // NFC: the same password typed on macOS and on Linux can arrive as different code points.
    scrypt(password.normalize('NFC'), salt, keyBytes, options, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}
