/**
 * Runs a CLI action: bad input (an HttpError from the shared services and request schemas, the
 * same ones the API answers with 4xx) prints `Fehler: …` and sets exit code 2, without a stack
 * trace; anything else propagates to main, where it is a bug worth its stack.
 */
import { HttpError } from '../http/errors.js';

export async function guarded(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (e) {
    if (e instanceof HttpError) {
      process.stderr.write(`Fehler: ${e.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw e;
  }
}
