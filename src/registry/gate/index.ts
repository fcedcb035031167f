/**
 * @module registry/gate: the promotion gate's rule, pure. It ranks scored versions and says
 * where an alias goes and why; the application layer scores the versions (the gate takes an
 * evaluate function and runs no model itself) and records the decision with these encodings.
 */
export {
  GATE_METRICS,
  compareScores,
  improvementOver,
  isGateMetric,
  parseGateMetric,
  type GateMetric,
} from './gate-metrics.js';
export { DEFAULT_GATE_CONFIG, parseGateConfig, type GateConfig } from './gate-config.js';
export {
  decidePromotion,
  formatImprovement,
  formatScore,
  type PromotionDecision,
  type PromotionInput,
  type PromotionOutcome,
  type ScoredVersion,
} from './decide-promotion.js';
export {
  GateTags,
  encodeGateRecord,
  gateTags,
  newGateId,
  parseGateRecord,
  type GateRecord,
  type GateRecordEntry,
  type GateRole,
} from './gate-record.js';
export {
  runGate,
  type GateEntrant,
  type GateEvaluation,
  type GateResult,
  type RunGateInput,
} from './run-gate.js';
