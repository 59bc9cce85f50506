/**
 * A NUL byte (%00) anywhere in the URL is a 400 before any route sees it: PostgreSQL text cannot
 * hold it ("invalid byte sequence"), so a search for q=%00 used to end as a 500.
 */
import type { RequestHandler } from 'express';
import { badRequest } from './errors.js';

/** Rejects a URL containing %00 (or a raw NUL) with a 400. */
export function rejectNul(): RequestHandler {
  return (req, _res, next) => {
    const url = req.originalUrl;
    if (url.includes('\0') || /%00/i.test(url)) {
      next(badRequest('Ungültige Anfrage: die Adresse enthält ein NUL-Zeichen (%00)'));
      return;
    }
    next();
  };
}
