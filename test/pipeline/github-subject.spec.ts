import {
  checkGitHubEnvironmentName,
  checkGitHubRepository,
  githubEnvironmentSubject,
} from '../../constructs/pipeline/github-subject';

describe('GitHub OIDC facts', () => {
  test('the subject of a job in a GitHub environment is repo:<org>/<repo>:environment:<env>', () => {
    expect(githubEnvironmentSubject('contoso/llmops-platform', 'prod-verify')).toBe(
      'repo:contoso/llmops-platform:environment:prod-verify',
    );
  });
});

describe('checkGitHubRepository', () => {
  test.each(['contoso/llmops-platform', 'Contoso_1/app.v2', 'a/b'])('accepts %j', (repository) => {
    expect(checkGitHubRepository(repository)).toBeUndefined();
  });

  test('fails when the repository has a wildcard, which a federated credential cannot match', () => {
    expect(checkGitHubRepository('contoso/*')).toBe(
      '"contoso/*" contains a wildcard: federated credentials match one repository exactly',
    );
  });

  test.each(['contoso', 'contoso/app/extra', 'contoso/my app', '/app', 'contoso/'])(
    'fails when %j is not <org>/<repo>',
    (repository) => {
      expect(checkGitHubRepository(repository)).toBe(`${JSON.stringify(repository)} is not <org>/<repo>`);
    },
  );
});

describe('checkGitHubEnvironmentName', () => {
  test.each(['prod', 'prod-verify', 'staging.eu', 'dev_1', 'e'.repeat(255)])(
    'accepts a name of %#',
    (name) => {
      expect(checkGitHubEnvironmentName(name)).toBeUndefined();
    },
  );

  test('fails when the name has a wildcard', () => {
    expect(checkGitHubEnvironmentName('prod*')).toBe(
      '"prod*" contains a wildcard: federated credentials match one environment exactly',
    );
  });

  test.each(['', 'prod:main', 'prod verify', 'e'.repeat(256)])(
    'fails when the name %# is not 1-255 letters, digits, ".", "_" and "-"',
    (name) => {
      expect(checkGitHubEnvironmentName(name)).toBe(
        `${JSON.stringify(name)} is not a GitHub environment name: 1-255 letters, digits, ".", "_" and "-"`,
      );
    },
  );
});
