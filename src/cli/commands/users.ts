import { Command } from 'commander';
import type { GlobalOptions } from '../context.js';
import { formatTime, printJson, printOutcome, printTable, type OutputOptions } from '../output.js';

interface StoreOptions {
  readonly backendStoreUri?: string;
}

const PASSWORD_ENV = 'MLOPS_NEW_USER_PASSWORD';

export function usersCommand(): Command {
  const cmd = new Command('users').description(
    'Manage the users, API tokens and experiment permissions of `mlops server --auth`',
  );

  withStoreOption(cmd.command('create <username>'))
    .description('Create a user; the password comes from stdin or MLOPS_NEW_USER_PASSWORD')
    .option('--admin', 'make the user an admin (MANAGE on everything, manages users)')
    .option('--password-stdin', 'read the password from stdin')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nThe password is never taken from the command line, where ps and shell history would see it.\n\nExamples:\n  printf \'%s\' "$PW" | mlops users create alice --password-stdin\n  MLOPS_NEW_USER_PASSWORD=... mlops users create root --admin',
    )
    .action(
      async (
        username: string,
        opts: OutputOptions & { admin?: boolean; passwordStdin?: boolean },
        command: Command,
      ) => {
        const password = await newPassword(command, opts.passwordStdin === true);
        const uri = await storeUri(command);
        const { createUserAt } = await import('../../server/index.js');
        const user = await createUserAt(uri, username, password, { admin: opts.admin === true });
        printOutcome(
          opts,
          { username: user.username, is_admin: user.isAdmin },
          `Created ${user.isAdmin ? 'admin' : 'user'} '${user.username}'`,
        );
      },
    );

  withStoreOption(cmd.command('token <username>'))
    .description('Create an API token for a user and print it (it is shown only once)')
    .option('--name <name>', 'a label to tell the tokens apart, e.g. ci')
    .option('--expires-days <days>', 'days until it stops working (default: never)', Number)
    .addHelpText(
      'after',
      '\nExample:\n  export MLOPS_TRACKING_TOKEN=$(mlops users token alice --name laptop --expires-days 90)',
    )
    .action(
      async (username: string, opts: { name?: string; expiresDays?: number }, command: Command) => {
        const uri = await storeUri(command);
        const { createTokenAt } = await import('../../server/index.js');
        const issued = await createTokenAt(uri, username, {
          ...(opts.name === undefined ? {} : { name: opts.name }),
          ...(opts.expiresDays === undefined ? {} : { expiresDays: opts.expiresDays }),
        });
        // stdout holds only the token, so that `$(mlops users token ...)` captures it.
        process.stdout.write(issued.token + '\n');
        const expiry =
          issued.expiresAt === null
            ? 'never expires'
            : `expires ${formatTime(issued.expiresAt)} UTC`;
        process.stderr.write(
          `Token for '${username}' (${expiry}). It is not stored anywhere: keep it now. Clients send it as MLOPS_TRACKING_TOKEN or MLFLOW_TRACKING_TOKEN.\n`,
        );
      },
    );

  withStoreOption(cmd.command('grant <username>'))
    .description('Give a user a permission on an experiment (replaces what it had there)')
    .requiredOption('--experiment <id-or-name>', 'the experiment, by id or name')
    .requiredOption(
      '--permission <level>',
      'READ | EDIT | MANAGE, or NO_PERMISSIONS to hide it despite the default',
    )
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExample:\n  mlops users grant alice --experiment goog-lstm --permission EDIT',
    )
    .action(
      async (
        username: string,
        opts: OutputOptions & { experiment: string; permission: string },
        command: Command,
      ) => {
        const uri = await storeUri(command);
        const { grantAt } = await import('../../server/index.js');
        const g = await grantAt(uri, username, opts.experiment, opts.permission);
        printOutcome(
          opts,
          { username: g.username, experiment_id: g.experimentId, permission: g.permission },
          `Granted ${g.permission} on experiment ${g.experimentId} ('${g.experimentName}') to '${g.username}'`,
        );
      },
    );

  withStoreOption(cmd.command('list'))
    .description('List users')
    .option('--json', 'print JSON')
    .action(async (opts: OutputOptions, command: Command) => {
      const uri = await storeUri(command);
      const { listUsersAt } = await import('../../server/index.js');
      const users = await listUsersAt(uri);
      if (opts.json) {
        return printJson({
          users: users.map((u) => ({
            username: u.username,
            is_admin: u.isAdmin,
            created_at: u.createdAt,
          })),
        });
      }
      printTable(
        ['USERNAME', 'ADMIN', 'CREATED'],
        users.map((u) => [u.username, u.isAdmin ? 'yes' : '', formatTime(u.createdAt)]),
      );
    });

  return cmd;
}

function withStoreOption(command: Command): Command {
  return command.option(
    '--backend-store-uri <uri>',
    'the tracking database the server uses (default: --tracking-uri, MLOPS_TRACKING_URI, else .mlops/mlops.db)',
  );
}

/** The database the users live in: the same one `mlops server` is started on. */
async function storeUri(command: Command): Promise<string> {
  const opts = command.optsWithGlobals<GlobalOptions & StoreOptions>();
  const given = opts.backendStoreUri || opts.trackingUri || process.env['MLOPS_TRACKING_URI'];
  if (given) return given;
  const { findWorkspace } = await import('../../app/index.js');
  return `sqlite:${findWorkspace().database}`;
}

/** The new user's password: from stdin when asked, else from the environment; never argv. */
async function newPassword(command: Command, fromStdin: boolean): Promise<string> {
  if (fromStdin) {
    if (process.stdin.isTTY) process.stderr.write('Password, then Enter and Ctrl-D: ');
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    // `echo pw |` adds one line ending that is not part of the password.
    return Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  }
  const fromEnv = process.env[PASSWORD_ENV];
  if (fromEnv) return fromEnv;
  return command.error(
    `No password given: pipe it in with --password-stdin (printf '%s' "$PW" | mlops users create <name> --password-stdin) or set ${PASSWORD_ENV}. It is never read from the command line, where ps and shell history would see it.`,
  );
}
