/**
 * The JSON schema of `ChartData`, for the server's route output schema: a response can carry
 * nothing but the shaped result (no stray row fields, no SQL). Cells are strings, numbers,
 * booleans or null — money stays a string.
 */
const cell = { type: ['string', 'number', 'boolean', 'null'] } as const;
const cellRows = { type: 'array', items: { type: 'array', items: cell } } as const;

export const chartDataSchema = {
  type: 'object',
  required: ['chart', 'dataset', 'series', 'table', 'truncated'],
  properties: {
    chart: {
      type: 'object',
      required: ['type', 'version'],
      properties: { type: { type: 'string' }, version: { type: 'integer' } },
      additionalProperties: false,
    },
    dataset: {
      type: 'object',
      required: ['dimensions', 'source'],
      properties: {
        dimensions: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'displayName', 'type'],
            properties: {
              name: { type: 'string' },
              displayName: { type: 'string' },
              type: { enum: ['ordinal', 'number', 'time'] },
            },
            additionalProperties: false,
          },
        },
        source: cellRows,
      },
      additionalProperties: false,
    },
    series: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'name', 'encode'],
        properties: {
          type: { enum: ['bar', 'line', 'pie', 'funnel', 'scatter', 'heatmap'] },
          name: { type: 'string' },
          encode: {
            type: 'object',
            additionalProperties: {
              oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
            },
          },
          stack: { type: 'string' },
          areaStyle: { type: 'object', additionalProperties: false },
          smooth: { type: 'boolean' },
        },
        additionalProperties: false,
      },
    },
    matrix: {
      type: 'object',
      required: [
        'rowDimensions',
        'columnDimensions',
        'measures',
        'rowHeaders',
        'columnHeaders',
        'cells',
      ],
      properties: {
        rowDimensions: { type: 'array', items: { type: 'string' } },
        columnDimensions: { type: 'array', items: { type: 'string' } },
        measures: { type: 'array', items: { type: 'string' } },
        rowHeaders: cellRows,
        columnHeaders: cellRows,
        cells: cellRows,
      },
      additionalProperties: false,
    },
    table: {
      type: 'object',
      required: ['columns', 'rows'],
      properties: {
        columns: {
          type: 'array',
          items: {
            type: 'object',
            required: ['key', 'role', 'kind', 'displayName'],
            properties: {
              key: { type: 'string' },
              role: { enum: ['dimension', 'measure'] },
              kind: { enum: ['text', 'number', 'decimal', 'date', 'datetime', 'boolean', 'range'] },
              displayName: { type: 'string' },
            },
            additionalProperties: false,
          },
        },
        rows: cellRows,
      },
      additionalProperties: false,
    },
    truncated: { type: 'boolean' },
  },
  additionalProperties: false,
} as const;
