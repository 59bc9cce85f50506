/**
 * Runs `sozialatlas <args>` in-process: the given command registrations on a fresh commander
 * program, against a test context. Captures what the command prints (console.log/error and
 * direct writes to stdout/stderr, as JSON output uses) and its exit code, and restores all of it.
 */
import { vi } from 'vitest';
import { Command } from 'commander';
import type { AppContext } from '../../server/context.js';

export type RegisterCli = (program: Command, openCtx: () => Promise<AppContext>) => void;

export interface CliResult {
  out: string;
  err: string;
  exitCode: number;
}

export async function runCli(
  register: readonly RegisterCli[],
  ctx: () => AppContext,
  ...args: string[]
): Promise<CliResult> {
  const program = new Command('sozialatlas').exitOverride();
  for (const r of register) r(program, async () => ctx());
  let out = '';
  let err = '';
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => (
    (out += String(chunk)),
    true
  )) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (
    (err += String(chunk)),
    true
  )) as typeof process.stderr.write;
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += a.join(' ') + '\n'));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (err += a.join(' ') + '\n'));
  const before = process.exitCode;
  process.exitCode = 0;
  try {
    await program.parseAsync(args, { from: 'user' });
    return { out: out.replace(/\n$/, ''), err: err.replace(/\n$/, ''), exitCode: Number(process.exitCode ?? 0) };
  } finally {
    process.exitCode = before;
    process.stdout.write = write;
    process.stderr.write = writeErr;
    log.mockRestore();
    error.mockRestore();
  }
}
