/** Test conditions on a report's flat metrics (Evidently's gt/gte/lt/lte/eq, plus between). */
export type { Condition, ConditionResult, MetricMap } from './check-types.js';
export { evaluateConditions } from './evaluate-conditions.js';
export { closestNames, didYouMean } from './did-you-mean.js';
