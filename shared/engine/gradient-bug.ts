/**
 * The classic backward-pass bugs the gradient check can inject, to show how a failure looks.
 * Names only: the bugs themselves live in buggy-gradient.ts, which only gradient-check jobs import.
 */
export const GRADIENT_BUGS = ['softmax-no-1-over-n', 'relu-no-mask', 'db-not-summed', 'dx-no-transpose'] as const

export type GradientBug = (typeof GRADIENT_BUGS)[number]
