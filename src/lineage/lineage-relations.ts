/**
 * The relations the product records. Relations are free strings (a capability may add its own);
 * these are the shared spellings.
 */
export const LineageRelations = {
  /** dataset -> run: the run read this dataset version. */
  input: 'input',
  /** run -> artifact: the run wrote this stored file. */
  output: 'output',
  /** run -> model_version: the run's model was registered as this version. */
  registeredAs: 'registered_as',
  /** model_version -> deployment: the version is served by this deployment. */
  deployedAs: 'deployed_as',
  /** snapshot -> run: a monitoring snapshot triggered this (retraining) run. */
  triggered: 'triggered',
  /** run -> run: parent run of a child (pipeline stage, tuning trial). */
  parentOf: 'parent_of',
} as const;

export type LineageRelation = (typeof LineageRelations)[keyof typeof LineageRelations];
