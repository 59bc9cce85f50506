/**
 * Password hashing with scrypt from node:crypto: a random 16-byte salt per password and the cost
 * parameters stored with the hash ("scrypt$N$r$p$salt$hash", base64url), so the parameters can be
 * raised later without breaking stored hashes. Verification recomputes with the stored parameters
 * and compares in constant time; an unknown user is checked against a dummy hash, so the answer
 * time does not tell whether a name exists.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** Cost of new hashes: N = 2^15, r = 8, p = 1 (about 32 MiB and a few dozen ms per check). */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
/** Shortest password accepted (8 characters; the UI and the CLI say so). */
export const MIN_PASSWORD_LENGTH = 8;

function scrypt(password: string, salt: Buffer, o: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: 128 * o.N * o.r * 2 };
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** A new hash of `password` with a fresh salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Hash checked when the account does not exist: the same work, always false. */
let dummyHash: Promise<string> | undefined;

/** True when `password` matches `stored`; a missing or malformed hash is false after the same work. */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const m = stored ? /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([\w-]+)\$([\w-]+)$/.exec(stored) : null;
  if (!m) {
    dummyHash ??= hashPassword(randomBytes(12).toString('hex'));
    await verifyPassword(password, await dummyHash);
    return false;
  }
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const expected = Buffer.from(m[5], 'base64url');
  const key = await scrypt(password, Buffer.from(m[4], 'base64url'), { N, r, p });
  return key.length === expected.length && timingSafeEqual(key, expected);
}
