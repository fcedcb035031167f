import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InferenceLogWriter,
  type JoinedInference,
  SqlInferenceLogStore,
  startPredictionServer,
  type RunningPredictionServer,
} from '../../src/serving/index.js';
import { openDatabase, type Database } from '../../src/storage/index.js';
import { get, post, twoVersions, WINDOW, type Answer } from './prediction-server-harness.js';

const PRICES = [100, 101, 102.5, 101.75, 103.25];
const LAST = PRICES[PRICES.length - 1] as number;
/** Mon 2024-01-01 .. Fri 2024-01-05. */
const SERIES = PRICES.map((close, i) => ({ date: `2024-01-0${i + 1}`, close }));

describe('prediction server over HTTP', () => {
  let server: RunningPredictionServer;
  let database: Database;
  let store: SqlInferenceLogStore;
  let writer: InferenceLogWriter;
  let url: string;
  const lines: string[] = [];

  beforeAll(async () => {
    const [v1] = await twoVersions();
    database = await openDatabase('sqlite::memory:');
    store = new SqlInferenceLogStore(database);
    writer = new InferenceLogWriter(store, { flushIntervalMs: 20 });
    server = await startPredictionServer({
      port: 0,
      model: v1,
      inferenceLog: writer,
      bodyLimit: 100_000,
      log: (line) => lines.push(line),
    });
    url = server.url;
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  describe('probes and descriptions', () => {
    it('/health answers while the process is up', async () => {
      expect((await get(`${url}/health`)).body).toEqual({ status: 'ok' });
    });

    it("/ready and MLflow's /ping name the warm version", async () => {
      for (const probe of ['/ready', '/ping']) {
        const ready = await get(`${url}${probe}`);
        expect(ready.status).toBe(200);
        expect(ready.body).toEqual({ ready: true, model: { name: 'goog', version: '1' } });
      }
    });

    it('/version names the model, its package hash and the mlops version', async () => {
      const { body } = await get(`${url}/version`);
      expect(body.model).toMatchObject({
        name: 'goog',
        version: '1',
        package_hash: '1'.padStart(64, '0'),
        window: WINDOW,
        engine: 'onnx',
      });
      expect(body.mlops_version).toMatch(/^\d+\.\d+\.\d+/);
    });

    it('/docs is an OpenAPI document of the routes', async () => {
      const { body } = await get(`${url}/docs`);
      expect(body.openapi).toMatch(/^3\./);
      expect(Object.keys(body.paths)).toEqual(
        expect.arrayContaining(['/predict', '/invocations', '/feedback', '/ready', '/metrics']),
      );
    });

    it('/metrics counts requests by route and model version', async () => {
      await post(`${url}/predict`, { prices: PRICES });
      await post(`${url}/predict`, { prices: [1] });
      const { text, headers } = await get(`${url}/metrics`);
      expect(headers.get('content-type')).toMatch(/text\/plain/);
      expect(text).toMatch(
        /mlops_serving_requests_total\{route="\/predict",status="200",model_version="1"\} \d+/,
      );
      expect(text).toMatch(
        /mlops_serving_request_errors_total\{route="\/predict",code="INVALID_PARAMETER_VALUE",model_version="1"\} \d+/,
      );
      expect(text).toMatch(/mlops_serving_request_duration_seconds_bucket\{.*model_version="1"/);
      expect(text).toMatch(/mlops_serving_model_swaps_total 1/);
      expect(text).toMatch(
        /mlops_serving_model_info\{name="goog",version="1",package_hash="0+1"\} 1/,
      );
    });

    it('answers unknown routes with 404 and MLflow error JSON', async () => {
      const res = await get(`${url}/nope`);
      expect(res.status).toBe(404);
      expect(res.body.error_code).toBe('ENDPOINT_NOT_FOUND');
    });
  });

  describe('POST /predict', () => {
    it('predicts the next close from prices and names the version', async () => {
      const res = await post(`${url}/predict`, { prices: [90, 95, ...PRICES] });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-mlops-model-version')).toBe('1');
      expect(res.body.model).toEqual({ name: 'goog', version: '1' });
      expect(res.body.horizon).toBe(1);
      expect(res.body.predictions).toHaveLength(1);
      expect(res.body.predictions[0].value).toBeCloseTo(LAST, 4);
      expect(res.body.predictions[0].prediction_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.predictions[0].target_date).toBeUndefined();
    });

    it('steps a horizon over business days after the last date', async () => {
      const res = await post(`${url}/predict`, { series: SERIES, horizon: 3 });
      expect(res.status).toBe(200);
      expect(res.body.horizon).toBe(3);
      expect(res.body.predictions.map((p: { target_date: string }) => p.target_date)).toEqual([
        '2024-01-08',
        '2024-01-09',
        '2024-01-10',
      ]);
      const ids = new Set(
        res.body.predictions.map((p: { prediction_id: string }) => p.prediction_id),
      );
      expect(ids.size).toBe(3);
    });

    const bad: [string, unknown, string, RegExp][] = [
      ['too few prices', { prices: [1, 2, 3] }, 'prices', /at least 5 closing prices/],
      [
        'a string price',
        { prices: [1, 2, 'x', 4, 5] },
        'prices[2]',
        /positive finite number.*got "x"/,
      ],
      ['a null price', { prices: [1, 2, null, 4, 5] }, 'prices[2]', /got null/],
      ['a negative price', { prices: [1, 2, 3, 4, -5] }, 'prices[4]', /got -5/],
      ['a zero price', { prices: [0, 2, 3, 4, 5] }, 'prices[0]', /got 0/],
      ['prices not a list', { prices: 5 }, 'prices', /a list of closing prices/],
      ['series not a list', { series: { date: '2024-01-01' } }, 'series', /a list/],
      ['a series row not an object', { series: [1, 2, 3, 4, 5] }, 'series[0]', /an object/],
      [
        'a missing close',
        { series: SERIES.map((r, i) => (i === 3 ? { date: r.date } : r)) },
        'series[3].close',
        /got nothing/,
      ],
      [
        'an impossible date',
        { series: SERIES.map((r, i) => (i === 1 ? { ...r, date: '2024-02-30' } : r)) },
        'series[1].date',
        /YYYY-MM-DD/,
      ],
      [
        'a date in another form',
        { series: SERIES.map((r, i) => (i === 0 ? { ...r, date: '01/01/2024' } : r)) },
        'series[0].date',
        /YYYY-MM-DD/,
      ],
      [
        'dates out of order',
        { series: [...SERIES.slice(0, 4), { date: '2024-01-02', close: 1 }] },
        'series[4].date',
        /after 2024-01-04/,
      ],
      ['horizon 0', { prices: PRICES, horizon: 0 }, 'horizon', /from 1 to 30/],
      ['horizon 31', { prices: PRICES, horizon: 31 }, 'horizon', /from 1 to 30/],
      ['a fractional horizon', { prices: PRICES, horizon: 1.5 }, 'horizon', /whole number/],
      ['an unknown key', { prices: PRICES, horizons: 2 }, 'horizons', /not a known field/],
      ['both forms', { prices: PRICES, series: SERIES }, '', /exactly one of/],
      ['neither form', {}, '', /exactly one of/],
      ['a list body', [1, 2, 3], '', /a JSON object/],
    ];
    for (const [what, body, field, message] of bad) {
      it(`refuses ${what} with 400 naming '${field}'`, async () => {
        const res = await post(`${url}/predict`, body);
        expect(res.status, res.text).toBe(400);
        expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
        expect(res.body.field).toBe(field);
        expect(res.body.message).toMatch(message);
      });
    }

    it('refuses Infinity (a number past 1e308) naming the price', async () => {
      const res = await post(`${url}/predict`, '{"prices": [1, 2, 3, 4, 1e999]}');
      expect(res.status).toBe(400);
      expect(res.body.field).toBe('prices[4]');
      expect(res.body.message).toMatch(/got Infinity/);
    });

    it('refuses NaN, which is not JSON, with 400', async () => {
      const res = await post(`${url}/predict`, '{"prices": [1, 2, NaN, 4, 5]}');
      expect(res.status).toBe(400);
      expect(res.body.error_code).toBe('BAD_REQUEST');
      expect(res.body.message).toMatch(/not valid JSON.*NaN/);
    });

    it('refuses a body over the limit with 413', async () => {
      const res = await post(`${url}/predict`, {
        prices: Array.from({ length: 20_000 }, () => 101.5),
      });
      expect(res.status).toBe(413);
      expect(res.body.error_code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('refuses CSV and other content types with 415', async () => {
      expect((await post(`${url}/predict`, 'close\n1\n', 'text/csv')).status).toBe(415);
      expect(
        (await post(`${url}/predict`, 'prices=1', 'application/x-www-form-urlencoded')).status,
      ).toBe(415);
      expect((await post(`${url}/predict`, 'hello', 'text/plain')).status).toBe(415);
    });
  });

  describe('POST /invocations (MLflow scoring protocol)', () => {
    const rows = [PRICES, PRICES.map((p) => p * 2)];
    const expected = [LAST, LAST * 2];
    const expectPredictions = (res: Answer, values = expected) => {
      expect(res.status, res.text).toBe(200);
      expect(res.body.predictions).toHaveLength(values.length);
      res.body.predictions.forEach((v: number, i: number) =>
        expect(v).toBeCloseTo(values[i] ?? NaN, 3),
      );
      expect(res.body.model).toEqual({ name: 'goog', version: '1' });
    };

    it("answers what MLflow's Python client sends for a DataFrame (dataframe_split, int columns)", async () => {
      const res = await post(`${url}/invocations`, {
        dataframe_split: { index: [0, 1], columns: [0, 1, 2, 3, 4], data: rows },
      });
      expectPredictions(res);
      expect(res.headers.get('x-mlops-model-version')).toBe('1');
    });

    it("answers the exact text MLflow's ScoringServerClient posts for a DataFrame", async () => {
      // DataFrame(np.array(rows)).to_dict(orient="split") through json.dumps(cls=NumpyEncoder).
      const py = (v: number) => (Number.isInteger(v) ? `${v}.0` : String(v));
      const data = rows.map((r) => `[${r.map(py).join(', ')}]`).join(', ');
      const text = `{"dataframe_split": {"index": [0, 1], "columns": [0, 1, 2, 3, 4], "data": [${data}]}}`;
      expectPredictions(await post(`${url}/invocations`, text, 'application/json'));
    });

    it('answers what it sends for a numpy array (inputs), with params ignored', async () => {
      expectPredictions(await post(`${url}/invocations`, { inputs: rows, params: { x: 1 } }));
    });

    it('orders integer-named columns by position', async () => {
      const res = await post(`${url}/invocations`, {
        dataframe_split: { columns: [4, 3, 2, 1, 0], data: rows.map((r) => [...r].reverse()) },
      });
      expectPredictions(res);
    });

    it('takes dataframe_records, instances and a named tensor', async () => {
      const records = rows.map((r) => Object.fromEntries(r.map((v, i) => [`c${i}`, v])));
      expectPredictions(await post(`${url}/invocations`, { dataframe_records: records }));
      expectPredictions(await post(`${url}/invocations`, { instances: rows }));
      expectPredictions(
        await post(`${url}/invocations`, { instances: rows.map((closes) => ({ closes })) }),
      );
      expectPredictions(await post(`${url}/invocations`, { inputs: { closes: rows } }));
    });

    it('takes one "close" column as a series (one prediction from its last window)', async () => {
      const records = [99, ...PRICES].map((close) => ({ close }));
      expectPredictions(await post(`${url}/invocations`, { dataframe_records: records }), [LAST]);
    });

    it('takes text/csv, with or without the index column pandas writes', async () => {
      const csv = `0,1,2,3,4\n${rows.map((r) => r.join(',')).join('\n')}\n`;
      expectPredictions(await post(`${url}/invocations`, csv, 'text/csv'));
      const indexed = `,0,1,2,3,4\n${rows.map((r, i) => `${i},${r.join(',')}`).join('\r\n')}`;
      expectPredictions(await post(`${url}/invocations`, indexed, 'text/csv; charset=utf-8'));
    });

    it('refuses other content types and parameters with 415', async () => {
      const body = JSON.stringify({ inputs: rows });
      for (const type of [
        'text/plain',
        'application/json; format=pandas-split',
        'application/json; charset=latin-1',
      ]) {
        const res = await post(`${url}/invocations`, body, type);
        expect(res.status, type).toBe(415);
        expect(res.body.error_code).toBe('BAD_REQUEST');
      }
      const legacy = await post(
        `${url}/invocations`,
        body,
        'application/json; format=pandas-split',
      );
      expect(legacy.body.message).toMatch(/MLflow 1\.x/);
    });

    const bad: [string, unknown, string, RegExp][] = [
      ['no format key', { data: rows }, '', /exactly one of/],
      ['two format keys', { inputs: rows, instances: rows }, '', /exactly one of/],
      ['a top-level list', rows, '', /exactly one of.*got a list/],
      ['rows of the wrong width', { inputs: [[1, 2, 3]] }, 'inputs[0]', /a window of 5 closes/],
      ['a flat list', { inputs: PRICES }, 'inputs[0]', /wrap a single window/],
      ['a string close', { inputs: [[1, 2, 'x', 4, 5]] }, 'inputs[0][2]', /got "x"/],
      ['a null close', { instances: [[1, 2, 3, 4, null]] }, 'instances[0][4]', /got null/],
      [
        'a negative close',
        { dataframe_split: { columns: [0, 1, 2, 3, 4], data: [[1, 2, 3, 4, -1]] } },
        'dataframe_split.data[0][4]',
        /got -1/,
      ],
      [
        'ragged rows',
        { dataframe_split: { data: [PRICES, [1, 2]] } },
        'dataframe_split.data[1]',
        /5 values like the other rows/,
      ],
      [
        'too many columns',
        { dataframe_split: { data: [[...PRICES, 1]] } },
        'dataframe_split.data',
        /rows of 5 closes/,
      ],
      [
        'records with different keys',
        { dataframe_records: [{ a: 1 }, { b: 2 }] },
        'dataframe_records[1]',
        /'a' differs/,
      ],
      [
        'too short a close column',
        { dataframe_records: [{ close: 1 }, { close: 2 }] },
        'dataframe_records',
        /at least 5 closes/,
      ],
      ['a wrong tensor name', { inputs: { prices: rows } }, 'inputs', /\{"closes": \[\.\.\.\]\}/],
    ];
    for (const [what, body, field, message] of bad) {
      it(`refuses ${what} with 400 naming '${field}'`, async () => {
        const res = await post(`${url}/invocations`, body);
        expect(res.status, res.text).toBe(400);
        expect(['BAD_REQUEST', 'INVALID_PARAMETER_VALUE']).toContain(res.body.error_code);
        expect(res.body.field).toBe(field);
        expect(res.body.message).toMatch(message);
      });
    }

    it('refuses a CSV cell that is not a price, naming its line and column', async () => {
      const res = await post(
        `${url}/invocations`,
        '0,1,2,3,4\n1,2,3,4,5\n1,2,abc,4,5\n',
        'text/csv',
      );
      expect(res.status).toBe(400);
      expect(res.body.field).toBe("csv line 3, column '2'");
    });
  });

  describe('POST /feedback and the inference log', () => {
    it('logs every prediction and joins feedback by id and by date', async () => {
      const byId = await post(`${url}/predict`, { prices: PRICES });
      const byDate = await post(`${url}/predict`, { series: SERIES, horizon: 2 });
      const id = byId.body.predictions[0].prediction_id as string;
      const fb = await post(`${url}/feedback`, [
        { prediction_id: id, actual: 104 },
        { target_date: '2024-01-08', actual: 105 },
      ]);
      expect(fb.status, fb.text).toBe(202);
      expect(fb.body.accepted).toBe(2);
      expect(fb.body.feedback_ids).toHaveLength(2);
      const one = await post(`${url}/feedback`, { target_date: '2024-01-09', actual: 106 });
      expect(one.status).toBe(202);

      await writer.flush();
      const logged = await store.queryPredictions({ modelName: 'goog' });
      const first = logged.find((r) => r.predictionId === id);
      expect(first).toMatchObject({
        modelVersion: '1',
        route: 'predict',
        horizonStep: 1,
        actual: 104,
        inputs: PRICES,
      });
      expect(first?.prediction).toBeCloseTo(LAST, 4);
      const steps: JoinedInference[] = byDate.body.predictions.map((p: { prediction_id: string }) =>
        logged.find((r) => r.predictionId === p.prediction_id),
      );
      expect(steps.map((s) => [s.inputDate, s.targetDate, s.horizonStep, s.actual])).toEqual([
        ['2024-01-05', '2024-01-08', 1, 105],
        ['2024-01-05', '2024-01-09', 2, 106],
      ]);
      expect(steps[1]?.inputs).toHaveLength(WINDOW);
      expect(logged.some((r) => r.route === 'invocations')).toBe(true);
    });

    const bad: [string, unknown, string][] = [
      ['no id or date', { actual: 1 }, ''],
      ['no actual', { prediction_id: 'x' }, 'actual'],
      ['a negative actual', { target_date: '2024-01-08', actual: -1 }, 'actual'],
      ['a bad date', { target_date: '2024-13-01', actual: 1 }, 'target_date'],
      ['an empty id', { prediction_id: '', actual: 1 }, 'prediction_id'],
      [
        'a bad entry in a list',
        [
          { prediction_id: 'x', actual: 1 },
          { actual: 'y', prediction_id: 'z' },
        ],
        '[1].actual',
      ],
      ['an unknown key', { prediction_id: 'x', actual: 1, value: 2 }, 'value'],
    ];
    for (const [what, body, field] of bad) {
      it(`refuses ${what} with 400 naming '${field}'`, async () => {
        const res = await post(`${url}/feedback`, body);
        expect(res.status, res.text).toBe(400);
        expect(res.body.field).toBe(field);
      });
    }
  });
});
