import { RULES, type Issue, type RuleName } from './validation-report.js';

/** An issue as a rule reports it; severity comes from the rule, undefined fields are dropped. */
export interface IssueDraft {
  readonly message: string;
  readonly line?: number | undefined;
  readonly column?: string | undefined;
  readonly date?: string | undefined;
  readonly value?: string | number | undefined;
}

/** Collects issues, keeping the first `cap` of each rule and counting all of them. */
export class IssueSink {
  readonly errors: Issue[] = [];
  readonly warnings: Issue[] = [];
  readonly counts: Partial<Record<RuleName, number>> = {};
  readonly omitted: Partial<Record<RuleName, number>> = {};

  constructor(private readonly cap: number) {}

  add(rule: RuleName, draft: IssueDraft): void {
    const count = (this.counts[rule] ?? 0) + 1;
    this.counts[rule] = count;
    if (count > this.cap) {
      this.omitted[rule] = count - this.cap;
      return;
    }
    const severity = RULES[rule].severity;
    const issue = Object.fromEntries(
      Object.entries({ rule, severity, ...draft }).filter(([, v]) => v !== undefined),
    ) as unknown as Issue;
    (severity === 'error' ? this.errors : this.warnings).push(Object.freeze(issue));
  }
}
