/**
 * The command table that lets server/main.ts import only the module of the command being run
 * (issue 13, cold start): each module registers exactly the top-level commands the table lists
 * for it, so a command never runs without a module that adds to it; and argv maps to the right
 * command (global options and their values skipped, help and unknown words load everything).
 * No database: registration only.
 */
import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { COMMAND_MODULES, commandOf, modulesFor } from '../../server/cli/commands.js';

const noCtx = () => Promise.reject(new Error('not opened in this test'));

describe('CLI command table', () => {
  it('every module registers exactly the top-level commands listed for it', async () => {
    for (const m of COMMAND_MODULES) {
      const program = new Command('sozialatlas');
      (await m.load())(program, noCtx);
      expect(program.commands.map((c) => c.name()).sort()).toEqual([...m.commands].sort());
    }
  });

  it('all modules together register the same commands in the same order as before (help lists them)', async () => {
    const program = new Command('sozialatlas');
    for (const m of COMMAND_MODULES) (await m.load())(program, noCtx);
    expect(program.commands.map((c) => c.name())).toEqual([
      'serve',
      'migrate',
      'sample',
      'coverage',
      'import',
      'aggregate',
      'harmonize',
      'accounts',
      'levels',
      'typology',
      'hotspots',
      'weights',
      'change',
      'index',
    ]);
    // subcommands from both modules end up under one parent
    const sub = (name: string) =>
      program.commands
        .find((c) => c.name() === name)!
        .commands.map((c) => c.name())
        .sort();
    expect(sub('import')).toEqual(['addresses', 'areas', 'grid', 'indicators', 'meta', 'points']);
    expect(sub('sample')).toEqual(['berlin', 'germany']);
  });

  it('argv → command: global options skipped, default serve, help and unknown words need every module', () => {
    expect(commandOf(['--data-dir', '/x', 'typology', '--level', 'plr'])).toBe('typology');
    expect(commandOf(['--data-dir=/x', '--database-url', 'postgres://h/db', 'import', 'areas', 'f.geojson'])).toBe(
      'import',
    );
    expect(commandOf([])).toBe('serve');
    expect(commandOf(['--data-dir', '/x'])).toBe('serve');
    expect(commandOf(['--help'])).toBeNull();
    expect(commandOf(['-h', 'typology'])).toBeNull();
    expect(commandOf(['--port', '3000'])).toBeNull();

    const names = (args: string[]) => modulesFor(args).map((m) => m.commands.join('+'));
    expect(names(['typology'])).toEqual(['typology']);
    expect(names(['sample', 'germany'])).toEqual(['serve+migrate+sample+coverage', 'change+index+sample']);
    expect(names(['import', 'grid', 'x.csv'])).toEqual(['import', 'import+aggregate+harmonize']);
    expect(modulesFor(['help', 'typology'])).toBe(COMMAND_MODULES);
    expect(modulesFor(['typologie'])).toBe(COMMAND_MODULES);
  });
});
