import { HttpError } from '../http/errors.js';

/**
 * Runs a CLI action: bad input (an HttpError from the shared services, the same ones the API
 * answers with 4xx) prints `Fehler: …` and sets exit code 2; anything else propagates to main.
 */
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
