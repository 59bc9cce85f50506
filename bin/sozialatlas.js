#!/usr/bin/env node
// Entry point of the `sozialatlas` command: runs the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../server/main.ts');
