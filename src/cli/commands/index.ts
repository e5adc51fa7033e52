/** Every command group of clink, in help order. Adding a group means adding it here. */
import type { Command } from 'commander';
import { buildClusterCommand } from './cluster/index.js';
import { buildLinkCommand } from './link/index.js';
import { buildMirrorCommand } from './mirror/index.js';
import { buildWorkerCommand } from './worker/index.js';
import { buildCompletionCommand } from './completion.js';
import { buildApplyCommand } from './apply.js';

export const commandGroups: ReadonlyArray<() => Command> = [buildClusterCommand, buildLinkCommand, buildMirrorCommand, buildWorkerCommand, buildApplyCommand, buildCompletionCommand];
