/**
 * jest's global setup: the tests that run Python (evaluation/*.py, the generated workflows' steps) start the
 * interpreter many times. Where `python3` on PATH is a version manager's shim (pyenv's is a bash script that
 * costs about 0.3 s per start on the 2-core machines, against 0.08 s for the interpreter itself), the
 * interpreter's own directory goes first on PATH, once for the whole run; the workers inherit it.
 */
import { spawnSync } from 'node:child_process';
import { delimiter, dirname } from 'node:path';

export default function pythonOnPath(): void {
  const found = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  const executable = found.status === 0 ? found.stdout.trim() : '';
  if (executable) process.env.PATH = `${dirname(executable)}${delimiter}${process.env.PATH ?? ''}`;
}
