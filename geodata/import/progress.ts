/**
 * Progress display for long CLI imports: a delayed cli-progress bar on a terminal, periodic lines
 * in logs and CI. The importers only report progress through a callback (ProgressFn), so they
 * stay free of terminal code and the API can run them silently.
 */
import cliProgress from 'cli-progress';
import type { ProgressFn } from './types.js';

/** Work shorter than this shows no bar: a bar that flashes for half a second is noise. */
export const PROGRESS_DELAY_MS = 2000;

/** Without a terminal (logs, CI, `| tee`), one progress line this often instead of a redrawn bar. */
export const PROGRESS_LINE_EVERY_MS = 5000;

/**
 * An onProgress callback for the CLI that shows a cli-progress bar on stderr,
 * but only once the import has run for PROGRESS_DELAY_MS. Without a terminal it
 * writes a progress line every PROGRESS_LINE_EVERY_MS, so long imports run from
 * scripts still report. Call stop() at the end (also on error) to finish the line.
 */
export function progressBar(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
): { onProgress: ProgressFn; stop(): void } {
  const started = Date.now();
  let bar: cliProgress.SingleBar | undefined;
  return {
    onProgress(done, total) {
      if (!bar) {
        if (Date.now() - started < PROGRESS_DELAY_MS) return;
        bar = new cliProgress.SingleBar(
          {
            format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted}`,
            stream,
            hideCursor: true,
            noTTYOutput: true, // cli-progress writes plain lines when the stream is no terminal
            notTTYSchedule: PROGRESS_LINE_EVERY_MS,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, done);
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}
