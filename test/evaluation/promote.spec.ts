import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode, reportError } from '../../lib/cli/exit';
import { applyWeights, promoteMain } from '../../lib/evaluation/promote';

const CONFIG = `# environments
environments:
  staging:
    gateway:
      experiments:
        chat:                   # clients call model "chat"
          variants:
            control: { deployment: chat, weight: 90 }
            candidate: { deployment: chat-next, promptVersion: v2, weight: 10 }
`;

describe('applyWeights', () => {
  test('writes the decided weights and keeps comments and the rest of the config', () => {
    const { text, changed } = applyWeights(CONFIG, {
      environment: 'staging',
      experiment: 'chat',
      newWeights: { control: 70, candidate: 30 },
    });
    expect(changed).toEqual(['control', 'candidate']);
    expect(text).toContain('# clients call model "chat"');
    expect(text).toContain('control: { deployment: chat, weight: 70 }');
    expect(text).toContain('candidate: { deployment: chat-next, promptVersion: v2, weight: 30 }');
  });

  test('fails naming every variant the environment does not declare', () => {
    expect(() =>
      applyWeights(CONFIG, {
        environment: 'staging',
        experiment: 'chat',
        newWeights: { control: 80, b: 20, c: 0 },
      }),
    ).toThrow(
      'environments.staging.gateway.experiments.chat.variants.b.weight: not in the config; environments.staging.gateway.experiments.chat.variants.c.weight: not in the config',
    );
    expect(() =>
      applyWeights(CONFIG, { environment: 'prod', experiment: 'chat', newWeights: { control: 100 } }),
    ).toThrow(
      'environments.prod.gateway.experiments.chat.variants: not in the config; the promotion edits only variants declared in the environment itself',
    );
  });
});

describe('promote command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'promote-'));

  async function promote(argv: string[]) {
    let stdout = '';
    let stderr = '';
    let code: ExitCode;
    try {
      code = await promoteMain(argv, { stdout: (t) => (stdout += t), env: {} });
    } catch (error) {
      code = reportError(error, (t) => (stderr += t));
    }
    return { code, stdout, stderr };
  }

  test('writes the decision file weights into the config file', async () => {
    const config = join(dir, 'environments.yaml');
    const decision = join(dir, 'decision.json');
    writeFileSync(config, CONFIG);
    writeFileSync(
      decision,
      JSON.stringify({
        environment: 'staging',
        experiment: 'chat',
        newWeights: { control: 100, candidate: 0 },
      }),
    );
    const r = await promote(['--decision', decision, '--config', config]);
    expect(r).toEqual({
      code: ExitCode.Success,
      stdout: 'staging/chat: control weight -> 100\nstaging/chat: candidate weight -> 0\n',
      stderr: '',
    });
    expect(readFileSync(config, 'utf8')).toContain(
      'candidate: { deployment: chat-next, promptVersion: v2, weight: 0 }',
    );
  });

  test('exits 2 for a decision file without valid weights', async () => {
    const decision = join(dir, 'bad.json');
    writeFileSync(
      decision,
      JSON.stringify({ environment: 'staging', experiment: '', newWeights: { control: 101 } }),
    );
    const r = await promote(['--decision', decision, '--config', join(dir, 'environments.yaml')]);
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toBe(
      `error: ${decision}: experiment must be a name; newWeights.control: 101 must be a whole number from 0 to 100\n`,
    );
  });
});
