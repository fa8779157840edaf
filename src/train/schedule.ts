// Learning-rate schedules: linear warmup, then constant or cosine decay (optionally over the first
// `decaySteps` only, holding the floor after: a run that goes on at its final rate).
export type LrSchedule = 'constant' | 'cosine';

/** The learning rate at optimizer step `step` (0-based) of `total`. */
export function learningRate(
  step: number,
  total: number,
  o: { lr: number; warmupSteps: number; schedule: LrSchedule; minLrRatio?: number; decaySteps?: number },
): number {
  if (o.warmupSteps > 0 && step < o.warmupSteps) return (o.lr * (step + 1)) / o.warmupSteps;
  if (o.schedule === 'constant') return o.lr;
  const span = Math.max(1, (o.decaySteps || total) - o.warmupSteps);
  const progress = Math.min(1, (step - o.warmupSteps) / span);
  const min = o.lr * (o.minLrRatio ?? 0);
  return min + (o.lr - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
}
