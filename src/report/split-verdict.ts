// One word for a split window in every format: judged ok / MISMATCH, or approximate (shown, not gated).
import type { Split } from '../types.js';

export type SplitVerdict = 'ok' | 'mismatch' | 'approximate';

export const splitVerdict = (sp: Split): SplitVerdict => (sp.approximate !== undefined ? 'approximate' : sp.passed ? 'ok' : 'mismatch');
