/**
 * Which module registers which top-level command, so that server/main.ts imports only the module
 * of the command being run. Importing every command module (services, importers, the HTTP app,
 * xlsx readers …) cost a cold CLI run about a second before any work started (issue 13).
 *
 * The table lists the modules in help order with the top-level commands each one defines or
 * extends (`import` and `sample` have subcommands from two modules). When the command on the
 * command line is in no list (help, a typo, an option value), main.ts loads every module, as
 * before, so commander can list all commands or suggest one. test/server/cli-commands.test.ts
 * checks the lists against what each module registers.
 */
import type { Command } from 'commander';
import type { AppContext } from '../context.js';

export type Registrar = (program: Command, openCtx: () => Promise<AppContext>) => void;

export interface CommandModule {
  /** Top-level commands the module defines or adds subcommands to. */
  commands: readonly string[];
  load: () => Promise<Registrar>;
}

export const COMMAND_MODULES: readonly CommandModule[] = [
  {
    commands: ['serve', 'migrate', 'sample', 'coverage'],
    load: async () => (await import('./core.js')).registerCoreCli,
  },
  { commands: ['import'], load: async () => (await import('./import.js')).registerImportCli },
  { commands: ['import', 'aggregate', 'harmonize'], load: async () => (await import('./grid.js')).registerGridCli },
  { commands: ['accounts'], load: async () => (await import('./accounts.js')).registerAccountsCli },
  { commands: ['levels'], load: async () => (await import('./import.js')).registerLevelsCli },
  { commands: ['typology'], load: async () => (await import('./typology.js')).registerTypologyCli },
  { commands: ['hotspots', 'weights'], load: async () => (await import('./hotspots.js')).registerHotspotsCli },
  {
    commands: ['change', 'index', 'sample'],
    load: async () => (await import('./monitoring.js')).registerMonitoringCli,
  },
];

/** The command that runs when none is named (`serve`, registered with isDefault). */
export const DEFAULT_COMMAND = 'serve';

/** Global options of the program that take a value (their value is not the command name). */
const GLOBAL_WITH_VALUE = new Set(['--data-dir', '--database-url']);

/**
 * The top-level command named in argv (after node and the script), DEFAULT_COMMAND when only
 * global options are given, or null when help is asked for or the first word is not a value of a
 * global option (then every module is needed).
 */
export function commandOf(args: readonly string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-h' || a === '--help') return null;
    if (GLOBAL_WITH_VALUE.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-')) {
      if ([...GLOBAL_WITH_VALUE].some((g) => a.startsWith(`${g}=`))) continue;
      return null; // an option of the default command, or an unknown one: let commander decide
    }
    return a;
  }
  return DEFAULT_COMMAND;
}

/** The modules needed for argv: those registering its command, or all when unsure. */
export function modulesFor(args: readonly string[]): readonly CommandModule[] {
  const cmd = commandOf(args);
  const some = cmd === null ? [] : COMMAND_MODULES.filter((m) => m.commands.includes(cmd));
  return some.length ? some : COMMAND_MODULES;
}
