import { openDatabase, redact, upgradeDatabase, type MigrateResult } from '../storage/index.js';
import { findWorkspace } from './workspace.js';

/** `mlops db upgrade`: applies pending migrations to the tracking database; returns what changed. */
export async function upgradeTrackingDatabase(
  uri?: string,
): Promise<MigrateResult & { readonly uri: string }> {
  const target = uri || process.env['MLOPS_TRACKING_URI'] || `sqlite:${findWorkspace().database}`;
  const database = await openDatabase(target, { skipMigrations: true });
  try {
    return { ...(await upgradeDatabase(database)), uri: redact(target) };
  } finally {
    await database.close();
  }
}
