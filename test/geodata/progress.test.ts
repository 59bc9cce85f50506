import { afterEach, describe, expect, it, vi } from 'vitest';
import { PassThrough } from 'node:stream';
import { progressBar, PROGRESS_DELAY_MS, PROGRESS_LINE_EVERY_MS } from '../../geodata/import/progress.js';

/** A stream that is no terminal (a log file, CI), collecting what is written. */
function logStream(): { stream: NodeJS.WriteStream; text: () => string } {
  const s = new PassThrough();
  const chunks: string[] = [];
  s.on('data', (c: Buffer) => chunks.push(c.toString()));
  Object.assign(s, { isTTY: false, columns: 80 });
  return { stream: s as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

describe('import progress', () => {
  afterEach(() => vi.useRealTimers());

  it('stays silent for short work', () => {
    vi.useFakeTimers();
    const log = logStream();
    const p = progressBar('Gebiete', log.stream);
    p.onProgress(10, 100);
    vi.advanceTimersByTime(PROGRESS_DELAY_MS - 100);
    p.onProgress(100, 100);
    p.stop();
    expect(log.text()).toBe('');
  });

  it('writes progress lines without a terminal once the work takes longer', async () => {
    vi.useFakeTimers();
    const log = logStream();
    const p = progressBar('Gebiete', log.stream);
    p.onProgress(0, 1000);
    vi.advanceTimersByTime(PROGRESS_DELAY_MS + 1);
    p.onProgress(250, 1000);
    vi.advanceTimersByTime(PROGRESS_LINE_EVERY_MS + 1);
    p.onProgress(1000, 1000);
    p.stop();
    vi.useRealTimers(); // the stream delivers its data on the next turn
    await new Promise((r) => setImmediate(r));
    const text = log.text();
    expect(text).toMatch(/Gebiete \[.*\] 25% \| 250\/1000/);
    expect(text).toMatch(/Gebiete \[.*\] 100% \| 1000\/1000/);
    expect(text).not.toContain('\u001b['); // no cursor control codes in a log
  });
});
