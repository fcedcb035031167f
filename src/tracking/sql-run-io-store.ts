import type { Database } from '../storage/index.js';
import { invalidParam } from '../core/index.js';
import type { KeyValue } from './entities.js';

/** A dataset a run consumed (MLflow's log-inputs), with its input tags (e.g. mlflow.data.context). */
export interface DatasetInput {
  readonly name: string;
  readonly digest: string;
  readonly sourceType: string;
  readonly source: string;
  readonly schema?: string;
  readonly profile?: string;
  readonly tags: readonly KeyValue[];
}

export interface RunIo {
  readonly datasets: readonly DatasetInput[];
  readonly modelOutputs: readonly { readonly modelId: string; readonly step: number }[];
}

/** MLflow's dataset limits (validation.py). */
const DATASET_LIMITS = {
  name: 500,
  digest: 36,
  schema: 1 << 20,
  source: 65_536,
  profile: 16 << 20,
};

/** Run inputs (datasets) and outputs (logged models) in the SQL store. */
export class SqlRunIoStore {
  constructor(private readonly database: Database) {}

  async logInputs(runId: string, datasets: readonly DatasetInput[]): Promise<void> {
    for (const d of datasets) checkDataset(d);
    if (datasets.length === 0) return;
    await this.database.write(async (trx) => {
      for (const d of datasets) {
        const row = {
          run_uuid: runId,
          name: d.name,
          digest: d.digest,
          source_type: d.sourceType,
          source: d.source,
          schema: d.schema ?? null,
          profile: d.profile ?? null,
          tags: JSON.stringify(d.tags),
        };
        await trx
          .insertInto('run_inputs')
          .values(row)
          .onConflict((oc) =>
            oc.columns(['run_uuid', 'name', 'digest']).doUpdateSet({ tags: row.tags }),
          )
          .execute();
      }
    });
  }

  async logOutputs(
    runId: string,
    models: readonly { modelId: string; step: number }[],
  ): Promise<void> {
    if (models.length === 0) return;
    await this.database.write(async (trx) => {
      for (const m of models) {
        await trx
          .insertInto('run_outputs')
          .values({ run_uuid: runId, model_id: m.modelId, step: m.step })
          .onConflict((oc) => oc.columns(['run_uuid', 'model_id']).doUpdateSet({ step: m.step }))
          .execute();
      }
    });
  }

  /** Inputs and outputs of each run id asked for (runs without any are absent from the map). */
  async of(runIds: readonly string[]): Promise<Map<string, RunIo>> {
    const out = new Map<
      string,
      { datasets: DatasetInput[]; modelOutputs: { modelId: string; step: number }[] }
    >();
    if (runIds.length === 0) return out;
    const entry = (id: string) => {
      let e = out.get(id);
      if (!e) out.set(id, (e = { datasets: [], modelOutputs: [] }));
      return e;
    };
    for (let i = 0; i < runIds.length; i += 500) {
      const ids = runIds.slice(i, i + 500);
      const [inputs, outputs] = await Promise.all([
        this.database.db
          .selectFrom('run_inputs')
          .selectAll()
          .where('run_uuid', 'in', ids)
          .execute(),
        this.database.db
          .selectFrom('run_outputs')
          .selectAll()
          .where('run_uuid', 'in', ids)
          .execute(),
      ]);
      for (const r of inputs) {
        entry(r.run_uuid).datasets.push({
          name: r.name,
          digest: r.digest,
          sourceType: r.source_type,
          source: r.source,
          ...(r.schema !== null ? { schema: r.schema } : {}),
          ...(r.profile !== null ? { profile: r.profile } : {}),
          tags: JSON.parse(r.tags) as KeyValue[],
        });
      }
      for (const r of outputs)
        entry(r.run_uuid).modelOutputs.push({ modelId: r.model_id, step: Number(r.step) });
    }
    return out;
  }
}

function checkDataset(d: DatasetInput): void {
  const over = (field: keyof typeof DATASET_LIMITS, value: string | undefined) => {
    if (value !== undefined && value.length > DATASET_LIMITS[field]) {
      throw invalidParam(
        `Dataset '${d.name.slice(0, 40)}': ${field} is ${value.length} characters; the limit is ${DATASET_LIMITS[field]}.`,
      );
    }
  };
  if (d.name === '') throw invalidParam('Dataset name must not be empty.');
  over('name', d.name);
  over('digest', d.digest);
  over('schema', d.schema);
  over('source', d.source);
  over('profile', d.profile);
  for (const t of d.tags) {
    if (t.key.length > 255 || t.value.length > 500) {
      throw invalidParam(
        `Input tag '${t.key.slice(0, 40)}' of dataset '${d.name}': keys are limited to 255 and values to 500 characters.`,
      );
    }
  }
}
