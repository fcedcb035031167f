import type { ResolvedContractOptions } from '../contract-options.js';
import type { IssueSink } from '../issue-sink.js';
import type { ContractInput } from '../validation-report.js';

/** One check of the data contract: reads the input, reports what it finds into the sink. */
export type Rule = (
  input: ContractInput,
  options: ResolvedContractOptions,
  sink: IssueSink,
) => void;
