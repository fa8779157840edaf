// The uncertainty of a success rate over independent episodes: the Wilson score interval,
// which stays inside [0, 1] and is sound at 0 or all successes, unlike the normal one.

export interface ProportionInterval {
  successes: number;
  trials: number;
  rate: number;
  lo: number;
  hi: number;
}

/** Wilson's interval for successes out of trials; z = 1.96 for 95%. */
export function wilson(successes: number, trials: number, z = 1.96): ProportionInterval {
  if (!(trials > 0)) return { successes, trials, rate: Number.NaN, lo: Number.NaN, hi: Number.NaN };
  const p = successes / trials,
    z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / (1 + z2 / trials);
  return { successes, trials, rate: p, lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}
