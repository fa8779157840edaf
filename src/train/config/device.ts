// Checks a device name against this process's libtorch before any tensor is made there:
// without it, `cuda:0` on a CPU build fails deep inside an operator with libtorch's
// dispatcher dump.
import { cuda, engineVersion } from '../../core/tensor/index.js';
import { UserError } from '../../core/util/user-error.js';

/** Throws a UserError naming `what` (e.g. `--device`) when `device` is not usable here. */
export function checkDevice(device: string, what = 'device'): void {
  const m = /^(cpu|cuda)(?::(\d+))?$/.exec(device);
  if (!m || (m[1] === 'cpu' && m[2] !== undefined))
    throw new UserError(`${what} '${device}': expected cpu, cuda or cuda:N`);
  if (m[1] === 'cpu') return;
  const { torch, cudaBuild } = engineVersion();
  if (!cudaBuild)
    throw new UserError(
      `${what} ${device}: this libtorch build (${torch}) has no CUDA support; use cpu, or build against a CUDA libtorch (docs/gpu.md)`,
    );
  const n = cuda.deviceCount();
  if (n === 0)
    throw new UserError(`${what} ${device}: no CUDA device is visible (check CUDA_VISIBLE_DEVICES and the driver)`);
  const index = Number(m[2] ?? 0);
  if (index >= n) throw new UserError(`${what} ${device}: only ${n} CUDA device(s) visible (cuda:0 to cuda:${n - 1})`);
}
