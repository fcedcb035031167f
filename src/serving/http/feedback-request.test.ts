import { describe, expect, it } from 'vitest';
import { parseFeedbackRequest } from './feedback-request.js';

describe('parseFeedbackRequest', () => {
  it('takes one entry or a list', () => {
    expect(parseFeedbackRequest({ prediction_id: 'p1', actual: 10 })).toEqual([
      { predictionId: 'p1', actual: 10 },
    ]);
    expect(
      parseFeedbackRequest([
        { target_date: '2024-01-08', actual: 11, model_name: 'goog' },
        { prediction_id: 'p2', target_date: '2024-01-09', actual: 12 },
      ]),
    ).toEqual([
      { targetDate: '2024-01-08', modelName: 'goog', actual: 11 },
      { predictionId: 'p2', targetDate: '2024-01-09', actual: 12 },
    ]);
  });

  it('names what is wrong', () => {
    expect(() => parseFeedbackRequest({ actual: 1 })).toThrow(/prediction_id.*target_date/);
    expect(() => parseFeedbackRequest({ prediction_id: 'p', actual: 0 })).toThrow(/'actual'/);
    expect(() => parseFeedbackRequest({ prediction_id: 'a\u0001', actual: 1 })).toThrow(
      /'prediction_id'/,
    );
    expect(() => parseFeedbackRequest([])).toThrow(/at least 1 feedback entries/);
    expect(() => parseFeedbackRequest([{ target_date: 'x', actual: 1 }])).toThrow(
      /'\[0\]\.target_date'/,
    );
  });
});
