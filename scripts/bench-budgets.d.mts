// Types of bench-budgets.mjs for the tests that import it.

/** A budget: metric key, what, budget, direction, unit, and optionally [floor key, what it is]. */
export type Budget = readonly [
  key: string,
  what: string,
  budget: number,
  op: '<=' | '>=',
  unit: string,
  floor?: readonly [key: string, what: string],
];

/** Figures of a report by metric key (a median is null where a run could not measure). */
export type Figures = Record<string, { median: unknown } | undefined>;

export const BUDGETS: readonly Budget[];
export function fmt(n: unknown): string;
export function meets(v: unknown, budget: number, op: '<=' | '>='): boolean;
export function check(report: { figures: Figures }): string[];
export function verdict(figures: Figures, budget: Budget): string;
