import type { Condition, ConditionResult, MetricMap } from './check-types.js';
import { closestNames } from './did-you-mean.js';

type Operator = 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'between';

/** Evidently's operators plus `between`, in the order a condition's text lists them. */
const OPERATORS: readonly Operator[] = ['gt', 'gte', 'lt', 'lte', 'eq', 'between'];

/**
 * One result per condition, in order. A condition with several operators holds when all of them
 * do (as Evidently's TestValueCondition). `error` rather than `fail` when the condition cannot be
 * judged: no operator, a metric the report lacks (the message suggests close names), a null
 * metric (could not be computed), a boolean compared with anything but `eq`.
 */
export function evaluateConditions(
  metrics: MetricMap,
  conditions: readonly Condition[],
): ConditionResult[] {
  return conditions.map((condition) => evaluateCondition(metrics, condition));
}

function evaluateCondition(metrics: MetricMap, condition: Condition): ConditionResult {
  const { metric } = condition;
  const ops = OPERATORS.filter((op) => condition[op] !== undefined);
  const text = ops.map((op) => `${op} ${formatValue(condition[op])}`).join(' and ');
  const name = condition.name ?? `${metric} ${text || '(no condition)'}`.trim();
  const result = (
    status: ConditionResult['status'],
    actual: ConditionResult['actual'],
    message: string,
  ): ConditionResult => ({ name, metric, condition: text, actual, status, message });

  if (ops.length === 0) {
    return result(
      'error',
      null,
      `the check on ${metric} has no condition; give one of ${OPERATORS.join(', ')}`,
    );
  }
  if (!Object.hasOwn(metrics, metric)) {
    return result('error', null, unknownMetricMessage(metric, Object.keys(metrics)));
  }
  const actual = metrics[metric] ?? null;
  if (actual === null || (typeof actual === 'number' && Number.isNaN(actual))) {
    return result(
      'error',
      null,
      `${metric} could not be computed (no value in the report), so ${text} cannot be checked`,
    );
  }
  for (const op of ops) {
    const problem = comparabilityProblem(metric, actual, op, condition[op]);
    if (problem) return result('error', actual, problem);
  }
  const holds = ops.every((op) => holdsFor(actual, op, condition[op]));
  return result(
    holds ? 'pass' : 'fail',
    actual,
    `${metric} = ${formatValue(actual)}, expected ${text}`,
  );
}

function unknownMetricMessage(metric: string, known: readonly string[]): string {
  if (known.length === 0) return `no metric '${metric}': the report has no metrics`;
  const close = closestNames(metric, known);
  if (close.length > 0) {
    return `no metric '${metric}' in the report (did you mean ${close.map((c) => `'${c}'`).join(' or ')}?)`;
  }
  const sample = known.slice(0, 5).join(', ');
  return `no metric '${metric}' in the report; it has ${known.length} metrics, e.g. ${sample}`;
}

/** Why `actual` and the operator's operand cannot be compared, or undefined when they can. */
function comparabilityProblem(
  metric: string,
  actual: number | boolean,
  op: Operator,
  operand: Condition[Operator],
): string | undefined {
  if (typeof actual === 'boolean' && op !== 'eq') {
    return `${metric} is a boolean (${actual}); only eq applies to it, not ${op}`;
  }
  if (op === 'eq' && typeof operand !== typeof actual) {
    return `${metric} = ${formatValue(actual)} is a ${typeof actual}, but eq ${formatValue(operand)} compares a ${typeof operand}`;
  }
  if (op === 'between') {
    const [low, high] = operand as readonly [number, number];
    if (!(low <= high)) return `between [${low}, ${high}]: the lower bound is above the upper`;
  }
  return undefined;
}

function holdsFor(actual: number | boolean, op: Operator, operand: Condition[Operator]): boolean {
  if (op === 'eq') return actual === operand;
  const value = actual as number;
  switch (op) {
    case 'gt':
      return value > (operand as number);
    case 'gte':
      return value >= (operand as number);
    case 'lt':
      return value < (operand as number);
    case 'lte':
      return value <= (operand as number);
    case 'between': {
      const [low, high] = operand as readonly [number, number];
      return value >= low && value <= high;
    }
  }
}

function formatValue(value: Condition[Operator] | number | boolean): string {
  if (Array.isArray(value)) return `[${value.map(String).join(', ')}]`;
  return String(value);
}
