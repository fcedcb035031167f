/** The prediction server's routes as OpenAPI 3.0 (hand-written: the routes validate by hand too). */
export function openApiDocument(version: string, maxHorizon: number): Record<string, unknown> {
  const json = (schema: unknown) => ({ 'application/json': { schema } });
  const error = { $ref: '#/components/schemas/Error' };
  const errors = {
    '400': {
      description: 'Bad input; `field` is the JSON path of the value',
      content: json(error),
    },
    '413': { description: 'Body over the size limit', content: json(error) },
    '415': { description: 'Unsupported content type', content: json(error) },
    '503': { description: 'No model loaded yet, or the request timed out', content: json(error) },
  };
  const model = {
    type: 'object',
    properties: { name: { type: 'string' }, version: { type: 'string' } },
  };
  const closes = { type: 'array', items: { type: 'number', exclusiveMinimum: 0 } };
  return {
    openapi: '3.0.3',
    info: {
      title: 'mlops prediction server',
      version,
      description:
        'Next-close predictions from a registered model version. Every prediction answer names the version that answered (body `model`, header `x-mlops-model-version`).',
    },
    paths: {
      '/predict': {
        post: {
          summary: 'Predict the next close(s) from the last window of a series',
          requestBody: {
            required: true,
            content: json({
              oneOf: [
                {
                  type: 'object',
                  required: ['series'],
                  properties: {
                    series: {
                      type: 'array',
                      items: {
                        type: 'object',
                        required: ['date', 'close'],
                        properties: {
                          date: { type: 'string', format: 'date' },
                          close: { type: 'number', exclusiveMinimum: 0 },
                        },
                      },
                    },
                    horizon: { type: 'integer', minimum: 1, maximum: maxHorizon },
                  },
                },
                {
                  type: 'object',
                  required: ['prices'],
                  properties: {
                    prices: closes,
                    horizon: { type: 'integer', minimum: 1, maximum: maxHorizon },
                  },
                },
              ],
            }),
          },
          responses: {
            '200': {
              description: 'One prediction per horizon step',
              content: json({
                type: 'object',
                properties: {
                  predictions: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        prediction_id: { type: 'string' },
                        target_date: { type: 'string', format: 'date' },
                        value: { type: 'number' },
                      },
                    },
                  },
                  model,
                  horizon: { type: 'integer' },
                },
              }),
            },
            ...errors,
          },
        },
      },
      '/invocations': {
        post: {
          summary:
            "MLflow's scoring protocol: dataframe_split, dataframe_records, instances, inputs, or text/csv; one window of closes per row",
          requestBody: {
            required: true,
            content: {
              ...json({
                type: 'object',
                properties: {
                  dataframe_split: {
                    type: 'object',
                    properties: {
                      columns: { type: 'array' },
                      data: { type: 'array', items: closes },
                      index: { type: 'array' },
                    },
                  },
                  dataframe_records: { type: 'array', items: { type: 'object' } },
                  instances: { type: 'array' },
                  inputs: {},
                  params: { type: 'object' },
                },
              }),
              'text/csv': { schema: { type: 'string' } },
            },
          },
          responses: {
            '200': {
              description: 'One next close per row',
              content: json({
                type: 'object',
                properties: { predictions: { type: 'array', items: { type: 'number' } }, model },
              }),
            },
            ...errors,
          },
        },
      },
      '/feedback': {
        post: {
          summary: 'Record actual closes, joined to predictions by prediction_id or target_date',
          requestBody: {
            required: true,
            content: json({
              oneOf: [
                { $ref: '#/components/schemas/Feedback' },
                { type: 'array', items: { $ref: '#/components/schemas/Feedback' } },
              ],
            }),
          },
          responses: {
            '202': {
              description: 'Accepted; written to the inference log in the background',
              content: json({
                type: 'object',
                properties: {
                  feedback_ids: { type: 'array', items: { type: 'string' } },
                  accepted: { type: 'integer' },
                },
              }),
            },
            ...errors,
          },
        },
      },
      '/health': {
        get: {
          summary: 'Liveness: the process answers',
          responses: { '200': { description: 'Up' } },
        },
      },
      '/ready': {
        get: {
          summary: 'Readiness: a model is loaded and warmed up',
          responses: { '200': { description: 'Ready' }, '503': { description: 'Not yet' } },
        },
      },
      '/version': {
        get: {
          summary: 'The served model version and the mlops version',
          responses: { '200': { description: 'Versions' } },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics',
          responses: { '200': { description: 'Text exposition format' } },
        },
      },
    },
    components: {
      schemas: {
        Error: {
          type: 'object',
          properties: {
            error_code: { type: 'string' },
            message: { type: 'string' },
            field: { type: 'string' },
          },
        },
        Feedback: {
          type: 'object',
          required: ['actual'],
          properties: {
            prediction_id: { type: 'string' },
            target_date: { type: 'string', format: 'date' },
            model_name: { type: 'string' },
            actual: { type: 'number', exclusiveMinimum: 0 },
          },
        },
      },
    },
  };
}
