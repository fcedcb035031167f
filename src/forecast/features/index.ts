/** @module forecast/features: the protocol split, sliding windows, transforms fitted on training rows. */
export {
  protocolSplit,
  trainingWindowCount,
  TRAIN_FRACTION,
  VALIDATION_FRACTION,
  type ProtocolSplit,
} from './split.js';
export {
  slidingWindows,
  splitWindows,
  partRange,
  type SplitPart,
  type WindowSet,
} from './sliding-windows.js';
export {
  fitWindowTransform,
  transformFitEnd,
  TRANSFORM_KINDS,
  type TransformKind,
} from './fit-window-transform.js';
export {
  monitoredFeatures,
  windowFeatures,
  MONITORED_FEATURE_COLUMNS,
  type MonitoredFeatureColumn,
} from './monitored-features.js';
