import { asList, flatten, get, type TemplateResource } from '../private/template';
import type { AwsPolicyRule } from '../rule';

/** Where each IAM type keeps its policy documents, by property path. */
function policyDocuments(
  resource: TemplateResource,
): { readonly where: string; readonly document: unknown }[] {
  if (resource.type === 'AWS::IAM::Policy' || resource.type === 'AWS::IAM::ManagedPolicy') {
    return [{ where: 'PolicyDocument', document: resource.properties.PolicyDocument }];
  }
  return asList(resource.properties.Policies).map((p, i) => ({
    where: `Policies[${i}] (${String(get(p, 'PolicyName'))})`,
    document: get(p, 'PolicyDocument'),
  }));
}

/** `*` or `<service>:*` is not the point here: only the action `*` (every action of every service). */
function isAll(value: unknown): boolean {
  return value === '*' || value === '*:*';
}

/**
 * No IAM statement allows every action on every resource (`Action: "*"`, `Resource: "*"`): in inline
 * policies (`AWS::IAM::Policy`), managed policies (`AWS::IAM::ManagedPolicy`) and the `Policies` of roles,
 * users and groups; nor is the AWS managed `AdministratorAccess` policy attached.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
 */
export class IamNoAdminRule implements AwsPolicyRule {
  readonly id = 'LLMOPS-AWS-IAM-NO-ADMIN';
  readonly severity = 'error';
  readonly description = 'No IAM statement allows action * on resource *.';

  appliesTo(type: string): boolean {
    return (
      type === 'AWS::IAM::Policy' ||
      type === 'AWS::IAM::ManagedPolicy' ||
      type === 'AWS::IAM::Role' ||
      type === 'AWS::IAM::User' ||
      type === 'AWS::IAM::Group'
    );
  }

  check(resource: TemplateResource): readonly string[] {
    const problems: string[] = [];
    for (const { where, document } of policyDocuments(resource)) {
      asList(get(document, 'Statement')).forEach((statement, i) => {
        const allowsAll =
          get(statement, 'Effect') === 'Allow' &&
          asList(get(statement, 'Action')).some(isAll) &&
          asList(get(statement, 'Resource')).includes('*');
        if (allowsAll) {
          problems.push(
            `${where} statement ${i} allows action "*" on resource "*"; grant the actions needed on the resources ` +
              'needed (a grant* method of the resource)',
          );
        }
      });
    }
    for (const arn of asList(resource.properties.ManagedPolicyArns)) {
      const text = flatten(arn);
      if (text?.endsWith(':iam::aws:policy/AdministratorAccess')) {
        problems.push(
          'ManagedPolicyArns attaches AdministratorAccess (* on *); attach least-privilege policies',
        );
      }
    }
    return problems;
  }
}
