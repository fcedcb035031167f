import { join } from 'node:path';
import type { Executor, StageIo, StageOutcome, StageTask } from './executor.js';
import { runCommands } from './run-commands.js';

/**
 * Runs each stage's commands as child processes in the workspace (the stage's `wdir`). How many
 * run at once is the scheduler's `-j`; the outs stay in the workspace for the scheduler to store.
 */
export class LocalExecutor implements Executor {
  readonly kind = 'local';
  readonly remote = false;

  async execute(task: StageTask, io: StageIo): Promise<StageOutcome> {
    const cwd = join(task.root, ...task.stage.wdir.split('/'));
    return runCommands(task.commands, cwd, task.env, io);
  }

  async close(): Promise<void> {}
}
