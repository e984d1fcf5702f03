/**
 * GitHub Actions OIDC facts both renderings trust: the issuer, the subject of a job that references a GitHub
 * environment, and the rules of the names that go into it. Free of imports: each cloud checks for its own
 * unresolved tokens first (cdktf or aws-cdk-lib `Token`) and words who compares the subject
 * (`constructs/pipeline/github-subject.ts`, `constructs/aws/pipeline/github.ts`).
 *
 * @see https://docs.github.com/actions/reference/security/oidc#filtering-for-a-specific-environment
 */

/** Host of the issuer of the tokens GitHub Actions hands to jobs with `permissions: id-token: write`. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/** The issuer URL. */
export const GITHUB_OIDC_ISSUER = `https://${GITHUB_OIDC_HOST}`;

/**
 * Subject of the token of a job that references a GitHub environment: `repo:<owner>/<repo>:environment:<env>`.
 * Both clouds compare it exactly, so only jobs of that repository that passed that environment's protection
 * rules (reviewers, branch policy) get in.
 */
export function githubEnvironmentSubject(repository: string, environment: string): string {
  return `repo:${repository}:environment:${environment}`;
}

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const ENVIRONMENT = /^[A-Za-z0-9_.-]{1,255}$/;

/**
 * Why `repository` cannot go into a subject, or undefined when it can.
 *
 * @param comparedBy who compares the subject, for the wildcard message ("federated credentials match")
 * @param form how the message writes the expected form (`<org>/<repo>` on Azure, `<owner>/<repo>` on AWS)
 */
export function githubRepositoryProblem(
  repository: string,
  comparedBy: string,
  form: string,
): string | undefined {
  if (/[*?]/.test(repository)) {
    return `${JSON.stringify(repository)} contains a wildcard: ${comparedBy} one repository exactly`;
  }
  return REPOSITORY.test(repository) ? undefined : `${JSON.stringify(repository)} is not ${form}`;
}

/**
 * Why `environment` cannot name a GitHub environment in a subject, or undefined when it can: 1-255 letters,
 * digits, `.`, `_` and `-` (a subset of what GitHub accepts that needs no quoting in a subject or a
 * workflow), no wildcard.
 *
 * @param comparedBy who compares the subject, for the wildcard message
 */
export function githubEnvironmentProblem(environment: string, comparedBy: string): string | undefined {
  if (/[*?]/.test(environment)) {
    return `${JSON.stringify(environment)} contains a wildcard: ${comparedBy} one environment exactly`;
  }
  return ENVIRONMENT.test(environment)
    ? undefined
    : `${JSON.stringify(environment)} is not a GitHub environment name: 1-255 letters, digits, ".", "_" and "-"`;
}
