/** What the pipeline role tests expect, written out as CloudFormation (not derived from the constructs). */

/** `arn:<partition>:iam::<account>:role/cdk-<qualifier>-<kind>-role-<account>-us-east-1` in an account-agnostic stack. */
export function bootstrapRoleArn(kind: string, qualifier = 'hnb659fds'): unknown {
  return {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':iam::',
        { Ref: 'AWS::AccountId' },
        `:role/cdk-${qualifier}-${kind}-role-`,
        { Ref: 'AWS::AccountId' },
        '-us-east-1',
      ],
    ],
  };
}

/** The trust policy of a pipeline role: GitHub OIDC, exact audience and subject. */
export function githubTrust(federated: unknown, subject: string): unknown {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Action: 'sts:AssumeRoleWithWebIdentity',
        Effect: 'Allow',
        Principal: { Federated: federated },
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': subject,
          },
        },
      },
    ],
  };
}
