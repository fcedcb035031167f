import { MlopsError, invalidParam } from '../core/index.js';
import type { DataContract, ImportedData, PreferSide } from '../data/index.js';
import type { TrackingClient } from '../tracking/index.js';
import { dataContext, type DataJobOptions } from './data-jobs.js';

// Loaded only when an import runs: the data module (csv-parse, hashing) and the forecasting
// module behind the contract.
const data = () => import('../data/index.js');
const forecast = () => import('../forecast/index.js');

/** The model input window the imported prices must support, as `forecast validate --window`. */
export const IMPORT_CONTRACT_WINDOW = 60;

export interface DataImportJob extends DataJobOptions {
  /** A file path, a file: URL or an http(s) URL. */
  readonly source: string;
  /** The workspace CSV to merge into (created when missing). */
  readonly into: string;
  /** Key column; default Date. */
  readonly mergeKey?: string;
  /** `new` or `old`: resolve conflicting values instead of refusing the import. */
  readonly prefer?: string;
  /** The contract's model window (default 60). */
  readonly windowSize?: number;
  /** http(s) sources: seconds allowed for the whole answer (default 30). */
  readonly timeoutSeconds?: number;
  /** Experiment the ingestion run goes to; default `ingestion`. */
  readonly experiment?: string;
}

export interface DataImportResult extends ImportedData {
  /** The ingestion run. */
  readonly runId: string;
}

/**
 * `mlops data import`: merges `source` into `into`, holds the result to the forecasting data
 * contract (daily prices: `loadPriceCsv` + `validateSeries`), writes and versions it, then records
 * the ingestion run and its lineage edges. Refused input changes nothing.
 */
export async function dataImportJob(
  client: TrackingClient,
  job: DataImportJob,
): Promise<DataImportResult> {
  const prefer = parsePrefer(job.prefer);
  const windowSize = job.windowSize ?? IMPORT_CONTRACT_WINDOW;
  if (!Number.isInteger(windowSize) || windowSize < 2) {
    throw invalidParam(`--window must be an integer >= 2, got ${String(windowSize)}.`);
  }
  const timeoutSeconds = job.timeoutSeconds;
  if (timeoutSeconds !== undefined && !(Number.isFinite(timeoutSeconds) && timeoutSeconds > 0)) {
    throw invalidParam(
      `--timeout must be a positive number of seconds, got ${String(timeoutSeconds)}.`,
    );
  }
  const d = await data();
  const imported = await d.importData(dataContext(job.cwd === undefined ? {} : { cwd: job.cwd }), {
    source: job.source,
    into: job.into,
    ...(job.mergeKey === undefined ? {} : { mergeKey: job.mergeKey }),
    ...(prefer === undefined ? {} : { prefer }),
    ...(timeoutSeconds === undefined ? {} : { timeoutMs: timeoutSeconds * 1000 }),
    contract: priceContract(windowSize),
  });
  const runId = await d.recordIngestion(
    client,
    imported,
    job.experiment === undefined ? {} : { experiment: job.experiment },
  );
  return { ...imported, runId };
}

/** The forecasting data contract as a `DataContract`: the report names the target, not the temp file. */
export function priceContract(windowSize: number = IMPORT_CONTRACT_WINDOW): DataContract {
  return async (path, { into }) => {
    const f = await forecast();
    let csv: Awaited<ReturnType<typeof f.loadPriceCsv>>;
    try {
      csv = await f.loadPriceCsv(path);
    } catch (err) {
      // A file the loader refuses (no Close column, ...) fails the contract like any other error.
      if (!MlopsError.is(err) || err.code !== 'INVALID_PARAMETER_VALUE') throw err;
      const summary = `Data contract FAILED: ${err.message.replaceAll(path, into)}`;
      return { ok: false, summary, report: { ok: false, source: into, error: summary } };
    }
    const report = f.validateSeries({ ...csv, source: into }, { windowSize });
    return { ok: report.ok, summary: f.formatValidationReport(report), report };
  };
}

function parsePrefer(prefer: string | undefined): PreferSide | undefined {
  if (prefer === undefined || prefer === 'new' || prefer === 'old') return prefer;
  throw invalidParam(`--prefer must be 'new' or 'old', got '${prefer}'.`);
}
