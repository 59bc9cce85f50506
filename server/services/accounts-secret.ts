/**
 * Random secrets the client holds (session cookie, API token, setup token, CSRF token) and the
 * SHA-256 digest under which the server stores them: a stolen database reveals no usable secret.
 */
import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url (43 characters), with an optional recognisable prefix. */
export const newSecret = (prefix = ''): string => prefix + randomBytes(32).toString('base64url');

/** The stored form of a secret: SHA-256, hex. */
export const secretHash = (secret: string): string => createHash('sha256').update(secret).digest('hex');
