// Shared world physics of the games: temperatures relax step by step towards a target.
export const ROOM_TEMP = 20;

/** One tick of `t` moving towards `target` by at most `step`. */
export const toward = (t: number, target: number, step: number): number =>
  t > target ? Math.max(target, t - step) : Math.min(target, t + step);
