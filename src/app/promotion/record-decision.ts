import { gateTags, type GateRecord } from '../../registry/index.js';
import type { ModelsContext } from '../models/models-context.js';

/**
 * Writes a decision: its tags on every judged version and on the registered model first, then
 * the alias, moved once (the commit point: an alias never points at a version whose decision
 * is not recorded).
 */
export async function recordDecision(ctx: ModelsContext, record: GateRecord): Promise<void> {
  const { registry } = ctx;
  const tags = gateTags(record);
  for (const [version, kvs] of tags.versions) {
    for (const t of kvs) await registry.setModelVersionTag(record.model, version, t.key, t.value);
  }
  for (const t of tags.model) await registry.setRegisteredModelTag(record.model, t.key, t.value);
  const to = record.alias_after;
  if (to !== null && to !== record.alias_before) {
    await registry.setAlias(record.model, record.alias, to);
  }
}
