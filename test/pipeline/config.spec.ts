import { ValidationError } from '../../constructs/core/errors';
import { DEFAULT_CONTINUOUS_SCHEDULE } from '../../lib/config/sections/pipeline';
import { TEST_DEFAULTS_YAML, testConfig, testEnvironment } from '../helpers/synth';

/** The problems (as `path: message`) the loader reports for one environment body. */
function problemsOf(body: string, name = 'dev'): string[] {
  try {
    testEnvironment(body, name);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected the config to be rejected');
}

describe('pipeline config', () => {
  test('development defaults: approval auto, hosted runner, <env>-verify, redeploy rollback, no continuous evaluation', () => {
    const p = testEnvironment('profile: development').pipeline;
    expect(p).toEqual({
      approval: 'auto',
      reviewers: [],
      runsOn: ['ubuntu-latest'],
      planRunsOn: ['ubuntu-latest'],
      selfHosted: false,
      repository: undefined,
      githubEnvironment: 'dev',
      verifyEnvironment: 'dev-verify',
      planEnvironment: 'dev-plan',
      order: 0,
      rollback: 'redeploy-last-good',
      evaluationDeployment: undefined,
      continuousEvaluation: { enabled: false, schedule: DEFAULT_CONTINUOUS_SCHEDULE, source: 'gateway' },
    });
  });

  test('fails when the plan environment is the deploy or the verify environment', () => {
    expect(
      problemsOf(
        'profile: development\npipeline:\n  github: { repository: a/b, planEnvironment: DEV-verify }',
      ),
    ).toEqual([
      'environments.dev.pipeline.github.planEnvironment: "DEV-verify" is also pipeline.github.verifyEnvironment: pull request jobs need their own GitHub environment, whose identity can only plan (GitHub compares names case-insensitively)',
    ]);
  });

  test('production defaults: approval manual, continuous evaluation daily from the gateway logs', () => {
    const p = testEnvironment(
      'profile: production\npipeline:\n  runner:\n    labels: [self-hosted, llmops-prod]\nmodels:\n  azure:\n    secondaryLocations: [germanywestcentral]',
      'prod',
    ).pipeline;
    expect(p.approval).toBe('manual');
    expect(p.runsOn).toEqual(['self-hosted', 'llmops-prod']);
    // pull request jobs get their own runner group and GitHub environment by default
    expect(p.planRunsOn).toEqual(['self-hosted', 'prod-plan']);
    expect(p.planEnvironment).toBe('prod-plan');
    expect(p.continuousEvaluation).toEqual({ enabled: true, schedule: '17 5 * * *', source: 'gateway' });
  });

  test('every setting given', () => {
    const p = testEnvironment(
      [
        'profile: development',
        'pipeline:',
        '  approval: manual',
        '  reviewers: [octocat, contoso/approvers]',
        '  github: { repository: contoso/app, environment: development, verifyEnvironment: development-checks }',
        '  order: 3',
        '  rollback: manual',
        '  evaluationDeployment: chat',
        '  continuousEvaluation: { enabled: true, schedule: "0 */6 * * *", source: apptraces }',
      ].join('\n'),
    ).pipeline;
    expect(p).toMatchObject({
      approval: 'manual',
      reviewers: ['octocat', 'contoso/approvers'],
      repository: 'contoso/app',
      githubEnvironment: 'development',
      verifyEnvironment: 'development-checks',
      order: 3,
      rollback: 'manual',
      evaluationDeployment: 'chat',
      continuousEvaluation: { enabled: true, schedule: '0 */6 * * *', source: 'apptraces' },
    });
  });

  test('the verify environment follows a renamed deploy environment', () => {
    const p = testEnvironment(
      'profile: development\npipeline:\n  github: { repository: a/b, environment: development }',
    ).pipeline;
    expect(p.verifyEnvironment).toBe('development-verify');
  });

  test('fails when the repository has a wildcard', () => {
    const problems = problemsOf('profile: development\npipeline:\n  github: { repository: "contoso/*" }');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^environments\.dev\.pipeline\.github\.repository: .*"contoso\/\*" is not <org>\/<repo>$/,
    );
  });

  test('fails when the GitHub environment name is not legal', () => {
    expect(
      problemsOf('profile: development\npipeline:\n  github: { repository: a/b, environment: "dev*" }'),
    ).toEqual([
      'environments.dev.pipeline.github.environment: "dev*" contains a wildcard: federated credentials match one environment exactly',
      'environments.dev.pipeline.github.verifyEnvironment: "dev*-verify" contains a wildcard: federated credentials match one environment exactly',
      'environments.dev.pipeline.github.planEnvironment: "dev*-plan" contains a wildcard: federated credentials match one environment exactly',
    ]);
  });

  test('fails when the verify environment name is not legal', () => {
    expect(
      problemsOf(
        'profile: development\npipeline:\n  github: { repository: a/b, verifyEnvironment: "dev verify" }',
      ),
    ).toEqual([
      'environments.dev.pipeline.github.verifyEnvironment: "dev verify" is not a GitHub environment name: 1-255 letters, digits, ".", "_" and "-"',
    ]);
  });

  test('fails when deploy and verify share a GitHub environment', () => {
    expect(
      problemsOf('profile: development\npipeline:\n  github: { repository: a/b, verifyEnvironment: DEV }'),
    ).toEqual([
      'environments.dev.pipeline.github.verifyEnvironment: "DEV" is also the deploy environment: the read-only jobs need their own GitHub environment (GitHub compares names case-insensitively)',
    ]);
  });

  test('fails when a reviewer is not a GitHub user or team', () => {
    expect(
      problemsOf('profile: development\npipeline:\n  approval: manual\n  reviewers: [platform approvers]'),
    ).toEqual([
      'environments.dev.pipeline.reviewers.0: "platform approvers" is not a GitHub user (octocat) or team (org/team-slug)',
    ]);
  });

  test('fails when reviewers are listed but approval is auto', () => {
    expect(problemsOf('profile: development\npipeline:\n  reviewers: [octocat]')).toEqual([
      'environments.dev.pipeline.reviewers: reviewers octocat are listed but approval is auto (the gate approves): set approval: manual or drop the reviewers',
    ]);
  });

  test('fails when the evaluation deployment does not exist', () => {
    expect(problemsOf('profile: development\npipeline:\n  evaluationDeployment: gpt5')).toEqual([
      'environments.dev.pipeline.evaluationDeployment: "gpt5" is not a model deployment (deployments: chat, embedding)',
    ]);
  });

  test('fails when the evaluation deployment is not a chat deployment', () => {
    expect(problemsOf('profile: development\npipeline:\n  evaluationDeployment: embedding')).toEqual([
      'environments.dev.pipeline.evaluationDeployment: "embedding" is an embedding deployment: evaluations score chat answers',
    ]);
  });

  test('fails when the schedule is not a five-field cron expression', () => {
    expect(
      problemsOf('profile: development\npipeline:\n  continuousEvaluation: { schedule: daily }'),
    ).toEqual([
      'environments.dev.pipeline.continuousEvaluation.schedule: "daily": not a cron expression with five fields (minute hour day month weekday), e.g. "17 5 * * *"',
    ]);
  });

  test('fails when the rollback strategy is unknown', () => {
    expect(problemsOf('profile: development\npipeline:\n  rollback: shift-everything')).toEqual([
      'environments.dev.pipeline.rollback: "shift-everything" is not one of "redeploy-last-good", "manual"',
    ]);
  });

  test('the committed defaults of the test helpers still load (no repository needed to load)', () => {
    const config = testConfig(`${TEST_DEFAULTS_YAML}environments:\n  dev:\n    profile: development\n`);
    expect(Object.keys(config.environments)).toEqual(['dev']);
    // without a repository the environment loads; only workflow generation asks for one
    expect(config.environments.dev!.pipeline.repository).toBeUndefined();
    expect(config.environments.dev!.pipeline.githubEnvironment).toBe('dev');
  });
});
